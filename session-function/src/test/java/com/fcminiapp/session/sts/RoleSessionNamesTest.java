package com.fcminiapp.session.sts;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class RoleSessionNamesTest {

    @ParameterizedTest
    @ValueSource(strings = {"2088102175923442", "074a1CcTG1LelxKe4xQC0zgNdId0nxi95b5lsNpazWYoCo", "a",
            "user with spaces/and:colons", "用户",
            "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"})
    void everyUidGivesANameWithinStsRules(String uid) {
        String name = RoleSessionNames.forUid(uid);

        assertThat(name).matches("[A-Za-z0-9.@_-]{2,64}");
        assertThat(RoleSessionNames.forUid(uid)).isEqualTo(name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"2088102175923442", "074a1CcTG1LelxKe4xQC0zgNdId0nxi95b5lsNpazWYoCo"})
    void alipayUidsAreKeptReadable(String uid) {
        assertThat(RoleSessionNames.forUid(uid)).isEqualTo("u-" + uid);
    }
}
