package com.fcminiapp.localcloud.ram;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PolicyEvaluatorTest {

    private static final String POLICY = "{\"Version\":\"1\",\"Statement\":[{\"Effect\":\"Allow\","
            + "\"Action\":[\"fc:InvokeFunction\"],\"Resource\":["
            + "\"acs:fc:cn-hangzhou:123:services/svc/functions/db\","
            + "\"acs:fc:cn-hangzhou:123:services/svc.*/functions/db\","
            + "\"acs:fc:cn-hangzhou:123:functions/db\",\"acs:fc:cn-hangzhou:123:functions/db/*\"]}]}";

    @Test
    void allowsInvokingTheDbFunctionInBothArnForms() {
        assertThat(PolicyEvaluator.allows(POLICY, "fc:InvokeFunction", "acs:fc:cn-hangzhou:123:services/svc/functions/db")).isTrue();
        assertThat(PolicyEvaluator.allows(POLICY, "fc:InvokeFunction", "acs:fc:cn-hangzhou:123:services/svc.LATEST/functions/db")).isTrue();
        assertThat(PolicyEvaluator.allows(POLICY, "fc:InvokeFunction", "acs:fc:cn-hangzhou:123:functions/db")).isTrue();
        assertThat(PolicyEvaluator.allows(POLICY, "FC:invokefunction", "acs:fc:cn-hangzhou:123:functions/db/prod")).isTrue();
    }

    @Test
    void deniesAnotherFunctionServiceAccountOrAction() {
        assertThat(PolicyEvaluator.allows(POLICY, "fc:InvokeFunction", "acs:fc:cn-hangzhou:123:services/svc/functions/session")).isFalse();
        assertThat(PolicyEvaluator.allows(POLICY, "fc:InvokeFunction", "acs:fc:cn-hangzhou:123:services/other/functions/db")).isFalse();
        assertThat(PolicyEvaluator.allows(POLICY, "fc:InvokeFunction", "acs:fc:cn-hangzhou:999:services/svc/functions/db")).isFalse();
        assertThat(PolicyEvaluator.allows(POLICY, "fc:InvokeFunction", "acs:fc:cn-hangzhou:123:functions/dbx")).isFalse();
        assertThat(PolicyEvaluator.allows(POLICY, "fc:UpdateFunction", "acs:fc:cn-hangzhou:123:functions/db")).isFalse();
    }

    @Test
    void anExplicitDenyWinsOverAnAllow() {
        String policy = "{\"Version\":\"1\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"fc:*\",\"Resource\":\"*\"},"
                + "{\"Effect\":\"Deny\",\"Action\":\"fc:InvokeFunction\",\"Resource\":\"acs:fc:*:*:services/*/functions/session\"}]}";
        assertThat(PolicyEvaluator.allows(policy, "fc:InvokeFunction", "acs:fc:r:1:services/s/functions/session")).isFalse();
        assertThat(PolicyEvaluator.allows(policy, "fc:InvokeFunction", "acs:fc:r:1:services/s/functions/db")).isTrue();
    }

    @Test
    void aMalformedOrConditionalPolicyAllowsNothing() {
        assertThat(PolicyEvaluator.allows("not json", "fc:InvokeFunction", "acs:fc:r:1:functions/db")).isFalse();
        assertThat(PolicyEvaluator.allows("{\"Version\":\"1\"}", "fc:InvokeFunction", "acs:fc:r:1:functions/db")).isFalse();
        assertThat(PolicyEvaluator.allows("{\"Version\":\"1\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\","
                + "\"Resource\":\"*\",\"Condition\":{\"IpAddress\":{\"acs:SourceIp\":\"10.0.0.0/8\"}}}]}",
                "fc:InvokeFunction", "acs:fc:r:1:functions/db")).isFalse();
    }

    @Test
    void wildcardsMatchRunsAndSingleCharactersOnly() {
        assertThat(PolicyEvaluator.wildcard("a*c", "abbbc", false)).isTrue();
        assertThat(PolicyEvaluator.wildcard("a?c", "abc", false)).isTrue();
        assertThat(PolicyEvaluator.wildcard("a?c", "abbc", false)).isFalse();
        assertThat(PolicyEvaluator.wildcard("a.c", "abc", false)).isFalse();
        assertThat(PolicyEvaluator.wildcard("ABC", "abc", false)).isFalse();
    }
}
