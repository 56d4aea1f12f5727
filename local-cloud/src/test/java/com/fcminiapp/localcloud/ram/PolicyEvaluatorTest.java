package com.fcminiapp.localcloud.ram;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

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

    private static String doc(String... statements) {
        return "{\"Version\":\"1\",\"Statement\":[" + String.join(",", statements) + "]}";
    }

    @Test
    void noStatementOrNoMatchingStatementDenies() {
        assertThat(PolicyEvaluator.allows(doc(), "oss:GetObject", "acs:oss:*:1:b/k")).isFalse();
        assertThat(PolicyEvaluator.allowsAll(List.of(), "oss:GetObject", "acs:oss:*:1:b/k")).isFalse();
        assertThat(PolicyEvaluator.allows(doc("{\"Effect\":\"Allow\",\"Action\":\"oss:PutObject\",\"Resource\":\"*\"}"),
                "oss:GetObject", "acs:oss:*:1:b/k")).isFalse();
    }

    @Test
    void actionsMatchIgnoringCaseButResourcesMatchExactly() {
        String policy = doc("{\"Effect\":\"Allow\",\"Action\":\"OSS:getobject\",\"Resource\":\"acs:oss:*:1:b/Users/*\"}");
        assertThat(PolicyEvaluator.allows(policy, "oss:GetObject", "acs:oss:*:1:b/Users/x")).isTrue();
        assertThat(PolicyEvaluator.allows(policy, "oss:GetObject", "acs:oss:*:1:b/users/x")).isFalse();
    }

    @Test
    void notActionAndNotResourceMatchWhatTheirListDoesNot() {
        String notAction = doc("{\"Effect\":\"Allow\",\"NotAction\":\"oss:Delete*\",\"Resource\":\"*\"}");
        assertThat(PolicyEvaluator.allows(notAction, "oss:GetObject", "acs:oss:*:1:b/k")).isTrue();
        assertThat(PolicyEvaluator.allows(notAction, "oss:DeleteObject", "acs:oss:*:1:b/k")).isFalse();
        String notResource = doc("{\"Effect\":\"Allow\",\"Action\":\"oss:*\",\"NotResource\":[\"acs:oss:*:1:b/secret/*\"]}");
        assertThat(PolicyEvaluator.allows(notResource, "oss:GetObject", "acs:oss:*:1:b/users/k")).isTrue();
        assertThat(PolicyEvaluator.allows(notResource, "oss:GetObject", "acs:oss:*:1:b/secret/k")).isFalse();
    }

    @Test
    void aDenyInAnyAttachedDocumentWinsOverAnAllowInAnother() {
        String allowAll = doc("{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}");
        String denySession = doc("{\"Effect\":\"Deny\",\"Action\":\"ots:*\",\"Resource\":\"acs:ots:*:*:instance/i/table/session\"}");
        assertThat(PolicyEvaluator.allowsAll(List.of(allowAll, denySession), "ots:GetRow", "acs:ots:r:1:instance/i/table/session")).isFalse();
        assertThat(PolicyEvaluator.allowsAll(List.of(denySession, allowAll), "ots:GetRow", "acs:ots:r:1:instance/i/table/todo")).isTrue();
        assertThat(PolicyEvaluator.allowsAll(List.of(denySession), "ots:GetRow", "acs:ots:r:1:instance/i/table/todo")).isFalse();
    }

    @Test
    void aConditionalDenyStillDenies() {
        String policy = doc("{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}",
                "{\"Effect\":\"Deny\",\"Action\":\"oss:*\",\"Resource\":\"*\",\"Condition\":{\"Bool\":{\"acs:SecureTransport\":\"false\"}}}");
        assertThat(PolicyEvaluator.allows(policy, "oss:GetObject", "acs:oss:*:1:b/k")).isFalse();
        assertThat(PolicyEvaluator.allows(policy, "ots:GetRow", "acs:ots:r:1:instance/i/table/t")).isTrue();
    }

    private static final String PREFIX_POLICY = "{\"Version\":\"1\",\"Statement\":[{\"Effect\":\"Allow\","
            + "\"Action\":\"oss:ListObjects\",\"Resource\":\"acs:oss:*:1:b\","
            + "\"Condition\":{\"StringLike\":{\"oss:Prefix\":[\"users/*\",\"public/*\"]}}}]}";

    @Test
    void aStringLikeConditionAllowsOnlyARequestWhoseKeyMatchesOneOfItsPatterns() {
        assertThat(PolicyEvaluator.allows(PREFIX_POLICY, "oss:ListObjects", "acs:oss:*:1:b",
                Map.of("oss:Prefix", "users/u1/"))).isTrue();
        assertThat(PolicyEvaluator.allows(PREFIX_POLICY, "oss:ListObjects", "acs:oss:*:1:b",
                Map.of("oss:Prefix", "public/"))).isTrue();
        assertThat(PolicyEvaluator.allows(PREFIX_POLICY, "oss:ListObjects", "acs:oss:*:1:b",
                Map.of("oss:Prefix", "usersx/"))).isFalse();
        assertThat(PolicyEvaluator.allows(PREFIX_POLICY, "oss:ListObjects", "acs:oss:*:1:b",
                Map.of("oss:Prefix", ""))).isFalse();
    }

    @Test
    void aConditionOnAKeyTheRequestLacksAllowsNothingAndStillDenies() {
        assertThat(PolicyEvaluator.allows(PREFIX_POLICY, "oss:ListObjects", "acs:oss:*:1:b")).isFalse();
        String deny = "{\"Version\":\"1\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"oss:*\","
                + "\"Resource\":\"*\"},{\"Effect\":\"Deny\",\"Action\":\"oss:ListObjects\",\"Resource\":\"*\","
                + "\"Condition\":{\"StringEquals\":{\"oss:Delimiter\":\"/\"}}}]}";
        assertThat(PolicyEvaluator.allows(deny, "oss:ListObjects", "acs:oss:*:1:b", Map.of("oss:Prefix", "x"))).isFalse();
        assertThat(PolicyEvaluator.allows(deny, "oss:ListObjects", "acs:oss:*:1:b",
                Map.of("oss:Delimiter", "-"))).isTrue();
    }

    @Test
    void everyOperatorAndKeyOfAConditionMustHold() {
        String both = "{\"Version\":\"1\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"oss:ListObjects\","
                + "\"Resource\":\"*\",\"Condition\":{\"StringLike\":{\"oss:Prefix\":\"users/*\"},"
                + "\"StringNotEquals\":{\"oss:Prefix\":\"users/admin/\"}}}]}";
        assertThat(PolicyEvaluator.allows(both, "oss:ListObjects", "b", Map.of("oss:Prefix", "users/u1/"))).isTrue();
        assertThat(PolicyEvaluator.allows(both, "oss:ListObjects", "b", Map.of("oss:Prefix", "users/admin/"))).isFalse();
    }
}
