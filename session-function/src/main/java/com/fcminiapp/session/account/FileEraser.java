package com.fcminiapp.session.account;

import com.aliyun.oss.OSS;
import com.aliyun.oss.model.DeleteObjectsRequest;
import com.aliyun.oss.model.DeleteObjectsResult;
import com.aliyun.oss.model.ListObjectsRequest;
import com.aliyun.oss.model.OSSObjectSummary;
import com.aliyun.oss.model.ObjectListing;
import com.fcminiapp.common.error.ApiException;
import com.fcminiapp.kit.internal.FileService;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The OSS part of an account deletion: every object in the user's private folder {@code users/<uid>/} and public
 * folder {@code public/<uid>/} (the kit's {@link FileService.Folder}, so the two agree on what the folders are).
 * Listed a page at a time and deleted with one DeleteObjects per page of at most {@link #BATCH_KEYS} keys.
 */
final class FileEraser {

    /** OSS's most keys in one DeleteObjects (and one ListObjects page). */
    static final int BATCH_KEYS = 1000;

    private final Supplier<OSS> oss;
    private final String bucket;
    private final int batchKeys;

    /** @param oss the client, asked for on the first deletion only (a login never builds it) */
    FileEraser(Supplier<OSS> oss, String bucket) {
        this(oss, bucket, BATCH_KEYS);
    }

    /** {@code batchKeys} below {@link #BATCH_KEYS}: for tests of the paging. */
    FileEraser(Supplier<OSS> oss, String bucket, int batchKeys) {
        if (batchKeys < 1 || batchKeys > BATCH_KEYS) {
            throw new IllegalArgumentException("batchKeys must be 1 to " + BATCH_KEYS);
        }
        this.oss = oss;
        this.bucket = bucket;
        this.batchKeys = batchKeys;
    }

    /** Deletes both folders of {@code uid}; UPSTREAM_UNAVAILABLE when OSS fails. */
    void erase(String uid) {
        eraseFolder(FileService.Folder.user(uid).prefix());
        eraseFolder(FileService.Folder.publicOf(uid).prefix());
    }

    private void eraseFolder(String folder) {
        String marker = null;
        while (true) {
            ObjectListing listing = list(folder, marker);
            List<String> keys = new ArrayList<>();
            for (OSSObjectSummary summary : listing.getObjectSummaries()) {
                // keys come back URL-encoded: a key with a control character has no XML 1.0 form
                String key = URLDecoder.decode(summary.getKey(), StandardCharsets.UTF_8);
                if (key.startsWith(folder)) {
                    keys.add(key);
                }
            }
            delete(keys);
            if (!listing.isTruncated() || keys.isEmpty()) {
                return;
            }
            marker = keys.get(keys.size() - 1);
        }
    }

    private ObjectListing list(String folder, String marker) {
        ListObjectsRequest request = new ListObjectsRequest(bucket);
        request.setPrefix(folder);
        request.setMaxKeys(batchKeys);
        request.setEncodingType("url");
        request.setMarker(marker);
        try {
            return oss.get().listObjects(request);
        } catch (RuntimeException e) {
            throw ApiException.upstream("OSS", e);
        }
    }

    /** One DeleteObjects; every key must come back as deleted (OSS counts a missing key as deleted). */
    private void delete(List<String> keys) {
        if (keys.isEmpty()) {
            return;
        }
        DeleteObjectsRequest request = new DeleteObjectsRequest(bucket).withKeys(keys).withQuiet(false);
        request.setEncodingType("url");
        DeleteObjectsResult result;
        try {
            result = oss.get().deleteObjects(request);
        } catch (RuntimeException e) {
            throw ApiException.upstream("OSS", e);
        }
        if (result.getDeletedObjects().size() != keys.size()) {
            throw ApiException.upstream("OSS", null);
        }
    }
}
