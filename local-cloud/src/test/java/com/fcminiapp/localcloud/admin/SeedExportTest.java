package com.fcminiapp.localcloud.admin;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Which exported paths can be files of their own under files/<user>/, and which go to blobs/ (SeedExport). */
class SeedExportTest {

    @Test
    void aFileAndAFolderOfTheSameNameCannotBothBeFilesSoTheLaterGoesToBlobs() {
        assertThat(SeedExport.natural(Set.of("x", "x/y", "x/z", "w"))).containsExactly("w", "x");
        assertThat(SeedExport.natural(Set.of("a/b/c", "a/b"))).containsExactly("a/b");
    }

    @Test
    void namesEqualButForCaseOrUnicodeNormalizationAreOneFileOnMacAndWindowsSoOnlyTheFirstIsNatural() {
        assertThat(SeedExport.natural(Set.of("Photo.jpg", "photo.jpg"))).containsExactly("Photo.jpg");
        assertThat(SeedExport.natural(Set.of("A/1.txt", "a/2.txt", "A/3.txt"))).containsExactly("A/1.txt", "A/3.txt");
        assertThat(SeedExport.natural(Set.of("caf\u00e9.txt", "cafe\u0301.txt"))).hasSize(1);
    }

    @Test
    void aSegmentOver255BytesGoesToBlobsAndAt255StaysAFile() {
        String longest = "a".repeat(255);
        assertThat(SeedExport.natural(Set.of(longest + "/f", "a".repeat(256) + "/f", "é".repeat(128))))
                .containsExactly(longest + "/f");
    }

    @ParameterizedTest
    @ValueSource(strings = {"a:b", "a?", "q\"", "<x>", "p|q", "st*r", "back\\slash", "dot.", "space ", "CON",
        "nul.txt", "com1", "LPT9.log", "tab\tx", "", "\ud800"})
    void namesSomeFileSystemRefusesAreNotPortable(String name) {
        assertThat(SeedExport.portable(name)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"photo.jpg", "猫.png", "a b", "%2e%2e", "console.txt", "x.y.z", ".hidden", "😀"})
    void ordinaryNamesArePortable(String name) {
        assertThat(SeedExport.portable(name)).isTrue();
    }
}
