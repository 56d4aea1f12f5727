package com.fcminiapp.common.fc;

import com.fcminiapp.common.error.ApiException;
import com.fcminiapp.common.error.ErrorCode;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The clients an instance built: shut down last first, every one despite a failure, once. */
class InstanceClientsTest {

    private final List<String> shutDown = new ArrayList<>();
    private final InstanceClients clients = new InstanceClients();

    @Test
    void closeShutsEveryClientDownLastBuiltFirstAndOnlyOnce() {
        String tablestore = clients.add("tablestore", shutDown::add);
        clients.add("oss", shutDown::add);

        clients.close();
        clients.close();

        assertThat(tablestore).isEqualTo("tablestore");
        assertThat(shutDown).containsExactly("oss", "tablestore");
    }

    @Test
    void aFailingShutdownDoesNotStopTheOthersAndIsThrownAtTheEndWithTheRest() {
        clients.add("tablestore", shutDown::add);
        clients.add("sts", c -> {
            throw new IllegalStateException("sts");
        });
        clients.add("oss", c -> {
            throw new IllegalArgumentException("oss");
        });

        assertThatThrownBy(clients::close).isInstanceOf(IllegalArgumentException.class).hasMessage("oss")
                .satisfies(e -> assertThat(e.getSuppressed()).singleElement().hasFieldOrPropertyWithValue(
                        "message", "sts"));
        assertThat(shutDown).containsExactly("tablestore");
    }

    @Test
    void closeAfterAFailedBuildAttachesShutdownFailuresToTheBuildFailure() {
        clients.add("tablestore", shutDown::add);
        clients.add("oss", c -> {
            throw new IllegalStateException("oss");
        });
        RuntimeException buildFailure = new RuntimeException("table creation failed");

        clients.closeAfter(buildFailure);

        assertThat(shutDown).containsExactly("tablestore");
        assertThat(buildFailure.getSuppressed()).singleElement().hasFieldOrPropertyWithValue("message", "oss");
    }

    @Test
    void aClientBuiltAfterCloseIsShutDownAtOnceAndTheCallRefusedAsRetryable() {
        clients.add("tablestore", shutDown::add);
        clients.close();

        assertThatThrownBy(() -> clients.add("oss", shutDown::add)).isInstanceOf(ApiException.class)
                .satisfies(e -> assertThat(((ApiException) e).code()).isEqualTo(ErrorCode.UPSTREAM_UNAVAILABLE));
        clients.close();

        assertThat(shutDown).containsExactly("tablestore", "oss");
    }
}
