package com.fcminiapp.localcloud.testing;

import com.fcminiapp.localcloud.runtime.LocalContext;
import com.fcminiapp.localcloud.standin.CredentialRegistry;
import com.fcminiapp.localcloud.template.FunctionSpec;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * FC contexts for the functions' tests: the one local-cloud hands a function (a fresh request id, the execution
 * key, function and service params), with its log lines kept in a list a test can read.
 */
public final class TestContexts {

    private static final FunctionSpec FUNCTION = new FunctionSpec("test", "Test::handleRequest",
            "Test::initialize", Path.of("test.jar"), Map.of(), false, 15, 512);

    private TestContexts() {
    }

    public static LocalContext create(CredentialRegistry.Credential key) {
        return create(key, new CopyOnWriteArrayList<>());
    }

    /** A context handing out {@code key}, logging into {@code logLines} (share it across invocations if wanted). */
    public static LocalContext create(CredentialRegistry.Credential key, List<String> logLines) {
        return new LocalContext(UUID.randomUUID().toString(), key, FUNCTION, "fc-miniapp", "LATEST",
                new LinePrintStream(logLines));
    }

    /** Keeps each printed line. */
    private static final class LinePrintStream extends PrintStream {
        private final List<String> lines;

        LinePrintStream(List<String> lines) {
            super(OutputStream.nullOutputStream());
            this.lines = lines;
        }

        @Override
        public void println(String line) {
            lines.add(line);
        }

        @Override
        public void println(Object line) {
            lines.add(String.valueOf(line));
        }
    }
}
