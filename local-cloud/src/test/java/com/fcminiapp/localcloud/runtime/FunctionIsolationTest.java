package com.fcminiapp.localcloud.runtime;

import com.aliyun.fc.runtime.Context;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fcminiapp.localcloud.standin.CredentialRegistry;
import com.fcminiapp.localcloud.template.FunctionSpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FunctionIsolationTest {

    @TempDir
    static Path dir;
    static Path jar;

    @BeforeAll
    static void buildJar() throws Exception {
        jar = TestFunctionJar.build(dir);
    }

    private static FunctionSpec spec(String initializer) {
        return new FunctionSpec("echo", "demo.Echo::handleRequest", initializer, jar, Map.of(), false, 3, 128);
    }

    private static LocalContext context() {
        CredentialRegistry registry = CredentialRegistry.inMemory();
        return new LocalContext("req-1", registry.createPermanent("LTAI"), spec(null), "svc", "LATEST",
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    }

    @Test
    void theFunctionSeesItsJarAndTheFcRuntimeButNotLocalCloudsLibraries() throws Exception {
        try (FunctionClassLoader loader = new FunctionClassLoader("echo", jar, getClass().getClassLoader())) {
            assertThat(loader.loadClass("demo.Echo").getClassLoader()).isSameAs(loader);
            assertThat(loader.loadClass("com.aliyun.fc.runtime.Context")).isSameAs(Context.class);
            assertThat(loader.loadClass("javax.servlet.http.HttpServletRequest"))
                    .isSameAs(javax.servlet.http.HttpServletRequest.class);
            assertThat(loader.loadClass("java.util.Map")).isSameAs(Map.class);
            assertThatThrownBy(() -> loader.loadClass("com.fasterxml.jackson.databind.ObjectMapper"))
                    .isInstanceOf(ClassNotFoundException.class);
            assertThatThrownBy(() -> loader.loadClass("com.fcminiapp.localcloud.LocalCloud"))
                    .isInstanceOf(ClassNotFoundException.class);
        }
    }

    @Test
    void theHandlerGetsItsEnvironmentAndTheInitializerRunsOnce() throws Exception {
        try (FunctionHost host = new FunctionHost(spec("demo.Echo::initialize"), Map.of("GREETING", "hi"),
                getClass().getClassLoader())) {
            host.invoke(new byte[0], context());
            FunctionHost.Outcome outcome = host.invoke("abc".getBytes(StandardCharsets.UTF_8), context());
            JsonNode answer = new ObjectMapper().readTree(outcome.output);
            assertThat(outcome.errorType).isNull();
            assertThat(answer.get("greeting").asText()).isEqualTo("hi");
            assertThat(answer.get("inits").asInt()).isEqualTo(1);
            assertThat(answer.get("eventLength").asInt()).isEqualTo(3);
            assertThat(answer.get("function").asText()).isEqualTo("echo");
            assertThat(answer.get("hasKey").asBoolean()).isTrue();
            assertThat(answer.get("seesJackson").asBoolean()).isFalse();
            assertThat(answer.get("seesLocalCloud").asBoolean()).isFalse();
        }
    }

    @Test
    void anUnhandledThrowIsReportedAsFcDoesWithoutTheStackTrace() throws Exception {
        try (FunctionHost host = new FunctionHost(spec(null), Map.of(), getClass().getClassLoader())) {
            FunctionHost.Outcome outcome = host.invoke("throw".getBytes(StandardCharsets.UTF_8), context());
            assertThat(outcome.errorType).isEqualTo("UnhandledInvocationError");
            assertThat(outcome.errorClass).isEqualTo("IllegalStateException");
            assertThat(outcome.errorMessage).isEqualTo("asked to fail");
        }
    }
}
