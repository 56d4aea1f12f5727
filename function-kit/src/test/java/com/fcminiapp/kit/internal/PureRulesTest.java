package com.fcminiapp.kit.internal;

import com.fcminiapp.common.error.ApiException;
import com.fcminiapp.kit.internal.oss.OssClients;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PureRulesTest {

    @Test
    void thePrefixSuccessorBoundsExactlyTheIdsWithThatPrefix() {
        assertThat(RowService.successor("b")).isEqualTo("c");
        assertThat(RowService.successor("a\uD7FF")).isEqualTo("a\uE000");
        assertThat(RowService.successor("a\uDBFF\uDFFF")).isEqualTo("b");
        assertThat(RowService.successor("\uDBFF\uDFFF")).isNull();
    }

    @Test
    void percentEncodedDotSegmentsAreSeenThroughAnyNumberOfEncodings() {
        assertThat(FilePaths.fullyDecoded("%2e%2E")).isEqualTo("..");
        assertThat(FilePaths.fullyDecoded("%25252e")).isEqualTo(".");
        assertThat(FilePaths.fullyDecoded("100%")).isEqualTo("100%");
        assertThat(FilePaths.checkPath("a/100% done.txt", "path")).isEqualTo("a/100% done.txt");
        assertThatThrownBy(() -> FilePaths.checkPath("a/%2e%2e", "path")).isInstanceOf(ApiException.class);
    }

    @Test
    void aTokenIsRefusedForAnotherListingOrWhenItsKeyLeavesThePrefix() {
        String token = new PageToken("rows:t", "p", false, "p1").encode();
        assertThat(PageToken.decode(token, "rows:t", "p", false).last).isEqualTo("p1");
        assertThatThrownBy(() -> PageToken.decode(token, "rows:u", "p", false)).isInstanceOf(ApiException.class);
        assertThatThrownBy(() -> PageToken.decode(token, "rows:t", "p", true)).isInstanceOf(ApiException.class);
        String escaping = new PageToken("rows:t", "p", false, "q1").encode();
        assertThatThrownBy(() -> PageToken.decode(escaping, "rows:t", "p", false)).isInstanceOf(ApiException.class);
        assertThatThrownBy(() -> PageToken.decode("!!", "rows:t", "", false)).isInstanceOf(ApiException.class);
    }

    @Test
    void theUploadUrlIsPathStyleForAnIpAndVirtualHostOtherwise() {
        assertThat(OssClients.bucketUrl("http://127.0.0.1:9000", "b1")).isEqualTo("http://127.0.0.1:9000/b1");
        assertThat(OssClients.bucketUrl("https://oss-cn-hangzhou.aliyuncs.com", "b1"))
                .isEqualTo("https://b1.oss-cn-hangzhou.aliyuncs.com");
    }

    @Test
    void aUidThatCannotBeAFolderNameIsABugNotAPath() {
        assertThat(FileService.folder("2088abc")).isEqualTo("users/2088abc/");
        assertThatThrownBy(() -> FileService.folder("a/b")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> FileService.folder("..")).isInstanceOf(IllegalStateException.class);
    }
}
