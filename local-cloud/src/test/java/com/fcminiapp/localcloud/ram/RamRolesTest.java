package com.fcminiapp.localcloud.ram;

import com.fcminiapp.localcloud.standin.CredentialRegistry;
import com.fcminiapp.localcloud.standin.CredentialRegistry.Credential;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RamRolesTest {

    private static final String ROLE = "acs:ram::1:role/fc-miniapp-invoke";
    private static final String INVOKE_ANY = "{\"Version\":\"1\",\"Statement\":[{\"Effect\":\"Allow\","
            + "\"Action\":\"fc:InvokeFunction\",\"Resource\":\"*\"}]}";
    private static final String INVOKE_DB = "{\"Version\":\"1\",\"Statement\":[{\"Effect\":\"Allow\","
            + "\"Action\":\"fc:InvokeFunction\",\"Resource\":\"acs:fc:r:1:services/s/functions/db\"}]}";
    private static final String DB = "acs:fc:r:1:services/s/functions/db";
    private static final String SESSION = "acs:fc:r:1:services/s/functions/session";

    private final CredentialRegistry registry = CredentialRegistry.inMemory();
    private final RamRoles roles = new RamRoles().put(ROLE, List.of(INVOKE_ANY));

    @Test
    void theAccountOwnersPermanentKeyMayDoAnything() {
        Credential owner = registry.createPermanent("LTAI");
        assertThat(roles.allows(owner, "oss:DeleteObject", "acs:oss:*:1:b/users/x")).isTrue();
        assertThat(roles.allows(owner, "sts:AssumeRole", ROLE)).isTrue();
    }

    @Test
    void aRoleKeyWithoutInlinePolicyHasExactlyItsRolesPermissions() {
        Credential key = registry.issueTemporary(ROLE, "s", null, Duration.ofHours(1));
        assertThat(roles.allows(key, "fc:InvokeFunction", SESSION)).isTrue();
        assertThat(roles.allows(key, "ots:GetRow", "acs:ots:r:1:instance/i/table/session")).isFalse();
    }

    @Test
    void anInlinePolicyNarrowsTheRoleToTheIntersection() {
        Credential key = registry.issueTemporary(ROLE, "alice", INVOKE_DB, Duration.ofHours(1));
        assertThat(roles.allows(key, "fc:InvokeFunction", DB)).isTrue();
        assertThat(roles.allows(key, "fc:InvokeFunction", SESSION)).isFalse();
    }

    @Test
    void anInlinePolicyCannotWidenTheRole() {
        String everything = "{\"Version\":\"1\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}]}";
        Credential key = registry.issueTemporary(ROLE, "alice", everything, Duration.ofHours(1));
        assertThat(roles.allows(key, "fc:InvokeFunction", DB)).isTrue();
        assertThat(roles.allows(key, "oss:GetObject", "acs:oss:*:1:b/users/bob/x")).isFalse();
    }

    @Test
    void aKeyOfAnUnknownRoleMayDoNothing() {
        Credential key = registry.issueTemporary("acs:ram::1:role/stranger", "s", null, Duration.ofHours(1));
        assertThat(roles.allows(key, "fc:InvokeFunction", DB)).isFalse();
        assertThat(roles.exists("acs:ram::1:role/stranger")).isFalse();
    }

    @Test
    void roleNamesAreCaseInsensitive() {
        Credential key = registry.issueTemporary("acs:ram::1:role/FC-MiniApp-Invoke", "s", null, Duration.ofHours(1));
        assertThat(roles.allows(key, "fc:InvokeFunction", DB)).isTrue();
        assertThat(roles.exists("ACS:RAM::1:ROLE/FC-MINIAPP-INVOKE")).isTrue();
    }
}
