package com.fcminiapp.localcloud.fcapi;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PolicyMatcherTest {

    private static final String POLICY = "{\"Version\":\"1\",\"Statement\":[{\"Effect\":\"Allow\","
            + "\"Action\":[\"fc:InvokeFunction\"],\"Resource\":["
            + "\"acs:fc:cn-hangzhou:123:services/svc/functions/db\","
            + "\"acs:fc:cn-hangzhou:123:services/svc.*/functions/db\","
            + "\"acs:fc:cn-hangzhou:123:functions/db\",\"acs:fc:cn-hangzhou:123:functions/db/*\"]}]}";

    @Test
    void allowsInvokingTheDbFunctionInBothArnForms() {
        assertThat(PolicyMatcher.allows(POLICY, "fc:InvokeFunction", "acs:fc:cn-hangzhou:123:services/svc/functions/db")).isTrue();
        assertThat(PolicyMatcher.allows(POLICY, "fc:InvokeFunction", "acs:fc:cn-hangzhou:123:services/svc.LATEST/functions/db")).isTrue();
        assertThat(PolicyMatcher.allows(POLICY, "fc:InvokeFunction", "acs:fc:cn-hangzhou:123:functions/db")).isTrue();
        assertThat(PolicyMatcher.allows(POLICY, "FC:invokefunction", "acs:fc:cn-hangzhou:123:functions/db/prod")).isTrue();
    }

    @Test
    void deniesAnotherFunctionServiceAccountOrAction() {
        assertThat(PolicyMatcher.allows(POLICY, "fc:InvokeFunction", "acs:fc:cn-hangzhou:123:services/svc/functions/session")).isFalse();
        assertThat(PolicyMatcher.allows(POLICY, "fc:InvokeFunction", "acs:fc:cn-hangzhou:123:services/other/functions/db")).isFalse();
        assertThat(PolicyMatcher.allows(POLICY, "fc:InvokeFunction", "acs:fc:cn-hangzhou:999:services/svc/functions/db")).isFalse();
        assertThat(PolicyMatcher.allows(POLICY, "fc:InvokeFunction", "acs:fc:cn-hangzhou:123:functions/dbx")).isFalse();
        assertThat(PolicyMatcher.allows(POLICY, "fc:UpdateFunction", "acs:fc:cn-hangzhou:123:functions/db")).isFalse();
    }

    @Test
    void anExplicitDenyWinsOverAnAllow() {
        String policy = "{\"Version\":\"1\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"fc:*\",\"Resource\":\"*\"},"
                + "{\"Effect\":\"Deny\",\"Action\":\"fc:InvokeFunction\",\"Resource\":\"acs:fc:*:*:services/*/functions/session\"}]}";
        assertThat(PolicyMatcher.allows(policy, "fc:InvokeFunction", "acs:fc:r:1:services/s/functions/session")).isFalse();
        assertThat(PolicyMatcher.allows(policy, "fc:InvokeFunction", "acs:fc:r:1:services/s/functions/db")).isTrue();
    }

    @Test
    void aMalformedOrConditionalPolicyAllowsNothing() {
        assertThat(PolicyMatcher.allows("not json", "fc:InvokeFunction", "acs:fc:r:1:functions/db")).isFalse();
        assertThat(PolicyMatcher.allows("{\"Version\":\"1\"}", "fc:InvokeFunction", "acs:fc:r:1:functions/db")).isFalse();
        assertThat(PolicyMatcher.allows("{\"Version\":\"1\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\","
                + "\"Resource\":\"*\",\"Condition\":{\"IpAddress\":{\"acs:SourceIp\":\"10.0.0.0/8\"}}}]}",
                "fc:InvokeFunction", "acs:fc:r:1:functions/db")).isFalse();
    }

    @Test
    void wildcardsMatchRunsAndSingleCharactersOnly() {
        assertThat(PolicyMatcher.wildcard("a*c", "abbbc", false)).isTrue();
        assertThat(PolicyMatcher.wildcard("a?c", "abc", false)).isTrue();
        assertThat(PolicyMatcher.wildcard("a?c", "abbc", false)).isFalse();
        assertThat(PolicyMatcher.wildcard("a.c", "abc", false)).isFalse();
        assertThat(PolicyMatcher.wildcard("ABC", "abc", false)).isFalse();
    }
}
