package com.fcminiapp.kit.internal;

import com.aliyun.oss.HttpMethod;
import com.aliyun.oss.common.auth.ServiceSignature;
import com.aliyun.oss.model.GeneratePresignedUrlRequest;
import com.aliyun.oss.model.ListObjectsRequest;
import com.aliyun.oss.model.MatchMode;
import com.aliyun.oss.model.OSSObjectSummary;
import com.aliyun.oss.model.ObjectListing;
import com.aliyun.oss.model.PolicyConditions;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fcminiapp.common.credentials.RoleCredentials;
import com.fcminiapp.common.error.ApiException;
import com.fcminiapp.common.error.ErrorCode;
import com.fcminiapp.kit.internal.oss.OssConnections;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Files in OSS in a user's {@link Folder}: the private {@code users/<uid>/} or the public {@code public/<uid>/}.
 * Signed upload forms, presigned downloads, listings and deletes. Every key is a folder followed by a checked
 * path, so no argument names a key outside it; {@link Folder#requested} decides which folders a caller may name.
 */
public final class FileService {

    public static final int MAX_LIST_LIMIT = 100;
    public static final int DEFAULT_LIST_LIMIT = 20;
    /** The most paths one downloadUrls call signs (a page of photos; the answer stays far below FC's 6 MB). */
    public static final int MAX_DOWNLOAD_URLS = 100;
    /** What the upload form answers on success; my.uploadFile takes 200 as success. */
    static final String SUCCESS_STATUS = "200";
    /** The Content-Type an upload form pins when the request names none. */
    static final String DEFAULT_CONTENT_TYPE = "application/octet-stream";
    /** What a download of any type but a raster image or plain text is served as, so no upload renders as a page. */
    static final String ATTACHMENT = "attachment";
    /** OSS's longest key; a stored key's path is at most this minus the folder. */
    static final int MAX_KEY_BYTES = 1023;

    private static final Pattern SAFE_UID = Pattern.compile("[A-Za-z0-9._@-]{1,128}");
    private static final Pattern CONTENT_TYPE = Pattern.compile(
            "[A-Za-z0-9!#$&^_.+-]{1,63}/[A-Za-z0-9!#$&^_.+-]{1,63}( ?; ?[A-Za-z0-9_.-]{1,32}=[A-Za-z0-9_.\"-]{1,64}){0,3}");

    private final OssConnections oss;
    private final String bucket;
    private final String bucketUrl;
    private final RoleCredentials credentials;
    private final long uploadMaxBytes;
    private final Duration urlExpiry;
    private final Clock clock;

    /**
     * @param oss       the clients for calls (OSS_ENDPOINT, possibly an internal one) and for the URLs handed to
     *                  mini-programs (OSS_PUBLIC_ENDPOINT), built when {@link OssConnections} decides
     * @param bucketUrl the bucket's URL on the public endpoint, where upload forms are posted
     */
    public FileService(OssConnections oss, String bucket, String bucketUrl, RoleCredentials credentials,
                       long uploadMaxBytes, Duration urlExpiry, Clock clock) {
        this.oss = oss;
        this.bucket = bucket;
        this.bucketUrl = bucketUrl;
        this.credentials = credentials;
        this.uploadMaxBytes = uploadMaxBytes;
        this.urlExpiry = urlExpiry;
        this.clock = clock;
    }

    public long uploadMaxBytes() {
        return uploadMaxBytes;
    }

    /** {@link #uploadPolicy(Folder, String, String, Long)} in {@code uid}'s private folder. */
    public ObjectNode uploadPolicy(String uid, String path, String contentType, Long maxBytes) {
        return uploadPolicy(Folder.user(uid), path, contentType, maxBytes);
    }

    /** A PostObject form that can store exactly one key, at most {@code maxBytes} long, until it expires. */
    public ObjectNode uploadPolicy(Folder folder, String path, String contentType, Long maxBytes) {
        String key = folder.prefix() + FilePaths.checkPath(path, "path");
        long limit = maxBytes == null ? uploadMaxBytes : maxBytes;
        if (limit < 1 || limit > uploadMaxBytes) {
            throw ApiException.invalid("maxBytes must be a whole number from 1 to " + uploadMaxBytes + ".");
        }
        if (contentType != null && !CONTENT_TYPE.matcher(contentType).matches()) {
            throw ApiException.invalid("contentType must be a MIME type like image/jpeg.");
        }
        String type = contentType == null ? DEFAULT_CONTENT_TYPE : contentType;
        String disposition = servedInline(type) ? null : ATTACHMENT;
        Instant expiresAt = expiry();
        PolicyConditions conditions = new PolicyConditions();
        conditions.addConditionItem("bucket", bucket);
        conditions.addConditionItem(MatchMode.Exact, PolicyConditions.COND_KEY, key);
        conditions.addConditionItem(PolicyConditions.COND_CONTENT_LENGTH_RANGE, 0, limit);
        conditions.addConditionItem(MatchMode.Exact, PolicyConditions.COND_SUCCESS_ACTION_STATUS, SUCCESS_STATUS);
        conditions.addConditionItem(MatchMode.Exact, PolicyConditions.COND_CONTENT_TYPE, type);
        if (disposition != null) {
            conditions.addConditionItem(MatchMode.Exact, PolicyConditions.COND_CONTENT_DISPOSITION, disposition);
        }
        // one key read once: the id, secret and token of a form must belong together even if FC rotates the key
        RoleCredentials.Key signer = credentials.current();
        String policy;
        try {
            policy = Base64.getEncoder().encodeToString(oss.signing()
                    .generatePostPolicy(Date.from(expiresAt), conditions).getBytes(StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            throw ApiException.upstream("OSS", e);
        }
        String signature = ServiceSignature.create().computeSignature(signer.accessKeySecret(), policy);
        ObjectNode fields = JsonNodeFactory.instance.objectNode();
        fields.put("key", key);
        fields.put("policy", policy);
        fields.put("OSSAccessKeyId", signer.accessKeyId());
        fields.put("Signature", signature);
        if (signer.securityToken() != null) {
            fields.put("x-oss-security-token", signer.securityToken());
        }
        fields.put("success_action_status", SUCCESS_STATUS);
        fields.put("Content-Type", type);
        if (disposition != null) {
            fields.put("Content-Disposition", disposition);
        }
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put("url", bucketUrl);
        out.set("fields", fields);
        out.put("fileField", "file");
        out.put("path", path);
        out.put("expiresAt", iso(expiresAt));
        return out;
    }

    /**
     * Whether a browser may show a file of this type in place: raster images and plain text cannot run script.
     * Everything else (HTML, SVG, XML, PDF, unknown types) is stored to be downloaded as an attachment.
     */
    static boolean servedInline(String contentType) {
        String base = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        return base.equals("text/plain") || (base.startsWith("image/") && !base.equals("image/svg+xml"));
    }

    /** {@link #downloadUrl(Folder, String)} in {@code uid}'s private folder. */
    public ObjectNode downloadUrl(String uid, String path) {
        return downloadUrl(Folder.user(uid), path);
    }

    /** A presigned GET of the file (whether it exists is seen when the URL is used). */
    public ObjectNode downloadUrl(Folder folder, String path) {
        return presignedGet(folder.prefix() + FilePaths.checkPath(path, "path"), expiry());
    }

    /**
     * For each path, in order (a repeated path is answered each time), what {@link #downloadUrl} answers for it
     * plus its {@code path}; every path is checked before any is signed, so a bad one refuses the whole call.
     */
    public ArrayNode downloadUrls(String uid, List<String> paths) {
        return downloadUrls(Folder.user(uid), paths);
    }

    /** {@link #downloadUrls(String, List)} in {@code folder}. */
    public ArrayNode downloadUrls(Folder folder, List<String> paths) {
        if (paths == null) {
            throw ApiException.invalid("paths is missing; send an array of 1 to " + MAX_DOWNLOAD_URLS
                    + " file paths like [\"photos/cat.jpg\"].");
        }
        if (paths.isEmpty()) {
            throw ApiException.invalid("paths is empty; send 1 to " + MAX_DOWNLOAD_URLS + " file paths.");
        }
        if (paths.size() > MAX_DOWNLOAD_URLS) {
            throw ApiException.invalid("paths holds " + paths.size() + " paths; send at most " + MAX_DOWNLOAD_URLS
                    + " per call (split a longer list into several calls).");
        }
        List<String> keys = new ArrayList<>(paths.size());
        for (int i = 0; i < paths.size(); i++) {
            keys.add(folder.prefix() + FilePaths.checkPath(paths.get(i), "paths[" + i + "]"));
        }
        // one instant for the whole call: the URLs of a page expire together, and a client renews them together
        Instant expiresAt = expiry();
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        for (int i = 0; i < paths.size(); i++) {
            ObjectNode entry = out.addObject();
            entry.put("path", paths.get(i));
            entry.setAll(presignedGet(keys.get(i), expiresAt));
        }
        return out;
    }

    /** Signs a GET of {@code key} locally (the SDK computes the signature; it sends nothing to OSS). */
    private ObjectNode presignedGet(String key, Instant expiresAt) {
        GeneratePresignedUrlRequest request = new GeneratePresignedUrlRequest(bucket, key, HttpMethod.GET);
        request.setExpiration(Date.from(expiresAt));
        String url;
        try {
            url = oss.signing().generatePresignedUrl(request).toString();
        } catch (RuntimeException e) {
            throw ApiException.upstream("OSS", e);
        }
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put("url", url);
        out.put("expiresAt", iso(expiresAt));
        return out;
    }

    /** {@link #listFiles(Folder, String, int, String)} in {@code uid}'s private folder. */
    public RowService.Page listFiles(String uid, String prefix, int limit, String next) {
        return listFiles(Folder.user(uid), prefix, limit, next);
    }

    /** One page of the files in {@code in} whose path starts with {@code prefix}, in key order. */
    public RowService.Page listFiles(Folder in, String prefix, int limit, String next) {
        if (limit < 1 || limit > MAX_LIST_LIMIT) {
            throw ApiException.invalid("limit must be a whole number from 1 to " + MAX_LIST_LIMIT + ".");
        }
        FilePaths.checkPrefix(prefix);
        String folder = in.prefix();
        ListObjectsRequest request = new ListObjectsRequest(bucket);
        request.setPrefix(folder + prefix);
        request.setMaxKeys(limit);
        // keys come back URL-encoded: a key with a control character has no XML 1.0 form, and would break the parse
        request.setEncodingType("url");
        if (next != null) {
            // the last path listed, however odd; as a marker it only says where to go on inside the folder
            request.setMarker(folder + PageToken.decode(next, "files", prefix, false).last);
        }
        ObjectListing listing;
        try {
            listing = oss.calls().listObjects(request);
        } catch (RuntimeException e) {
            throw ApiException.upstream("OSS", e);
        }
        ArrayNode files = JsonNodeFactory.instance.arrayNode();
        String lastPath = null;
        boolean encoded = "url".equals(listing.getEncodingType());
        List<OSSObjectSummary> summaries = listing.getObjectSummaries();
        for (OSSObjectSummary summary : summaries) {
            // the SDK leaves ListObjects (v1) keys as sent
            String key = encoded ? URLDecoder.decode(summary.getKey(), StandardCharsets.UTF_8) : summary.getKey();
            if (!key.startsWith(folder)) {
                continue;
            }
            lastPath = key.substring(folder.length());
            ObjectNode file = files.addObject();
            file.put("path", lastPath);
            file.put("size", summary.getSize());
            file.put("lastModified", summary.getLastModified() == null ? null
                    : iso(summary.getLastModified().toInstant()));
        }
        String token = listing.isTruncated() && lastPath != null
                ? new PageToken("files", prefix, false, lastPath).encode() : null;
        return new RowService.Page(files, token);
    }

    /**
     * Deletes the file; deleting a missing one is not an error. A path breaking the path rules is taken only when
     * it names a file that exists (a key listFiles showed, stored before the rules or by other means): it is
     * appended to the caller's folder as is, never reinterpreted, so it cannot leave the folder.
     */
    public void removeFile(String uid, String path) {
        removeFile(Folder.user(uid), path);
    }

    /** {@link #removeFile(String, String)} in {@code in}. */
    public void removeFile(Folder in, String path) {
        String folder = in.prefix();
        String key;
        try {
            key = folder + FilePaths.checkPath(path, "path");
        } catch (ApiException breaksTheRules) {
            if (!FilePaths.isStorable(path, MAX_KEY_BYTES - folder.length()) || !exists(folder + path)) {
                throw breaksTheRules;
            }
            key = folder + path;
        }
        try {
            oss.calls().deleteObject(bucket, key);
        } catch (RuntimeException e) {
            throw ApiException.upstream("OSS", e);
        }
    }

    private boolean exists(String key) {
        try {
            return oss.calls().doesObjectExist(bucket, key);
        } catch (RuntimeException e) {
            throw ApiException.upstream("OSS", e);
        }
    }

    private Instant expiry() {
        return clock.instant().truncatedTo(ChronoUnit.SECONDS).plus(urlExpiry);
    }

    /** The folder of {@code uid}'s private files: {@code users/<uid>/}. */
    public static String folder(String uid) {
        return Folder.user(uid).prefix();
    }

    private static boolean usableAsFolderName(String uid) {
        return uid != null && SAFE_UID.matcher(uid).matches() && !uid.equals(".") && !uid.equals("..");
    }

    private static String iso(Instant instant) {
        return DateTimeFormatter.ISO_INSTANT.format(instant.truncatedTo(ChronoUnit.SECONDS));
    }

    /**
     * One user's folder of files: private ({@code users/<uid>/}, only its owner reads and writes it) or public
     * ({@code public/<uid>/}, every logged-in user reads it, only its owner writes it). Immutable.
     */
    public static final class Folder {

        /** The longest {@code owner} a request may name, as ids are checked. */
        public static final int MAX_OWNER_CHARS = 128;

        private final String owner;
        private final boolean isPublic;

        private Folder(String owner, boolean isPublic) {
            if (!usableAsFolderName(owner)) {
                // uids come from Alipay's signed answer; one that cannot be a folder name is a bug, not a request error
                throw new IllegalStateException("uid is not usable as an OSS folder name");
            }
            this.owner = owner;
            this.isPublic = isPublic;
        }

        /** {@code uid}'s private folder {@code users/<uid>/}. */
        public static Folder user(String uid) {
            return new Folder(uid, false);
        }

        /** {@code uid}'s public folder {@code public/<uid>/}. */
        public static Folder publicOf(String uid) {
            return new Folder(uid, true);
        }

        /**
         * The folder a file op of {@code caller} names: its private folder, or with {@code isPublic} the public
         * folder of {@code owner} (the caller's when null). {@code owner} needs {@code isPublic}
         * (INVALID_ARGUMENT), must be a user id (INVALID_ARGUMENT), and a write ({@code write}: uploadPolicy,
         * removeFile) may name only the caller (PERMISSION_DENIED).
         */
        public static Folder requested(String caller, boolean isPublic, String owner, boolean write) {
            if (owner == null) {
                return new Folder(caller, isPublic);
            }
            if (!isPublic) {
                throw ApiException.invalid("owner names another user's public folder; send \"public\": true with it"
                        + " (a private folder is reachable only by its owner).");
            }
            if (owner.isEmpty() || owner.length() > MAX_OWNER_CHARS || owner.indexOf('/') >= 0
                    || !ItemCodec.isCleanText(owner) || !usableAsFolderName(owner)) {
                throw ApiException.invalid("owner must be a user's uid: 1 to " + MAX_OWNER_CHARS
                        + " letters, digits or . _ @ - (not . or ..).");
            }
            if (write && !owner.equals(caller)) {
                throw new ApiException(ErrorCode.PERMISSION_DENIED, "Only its owner writes a public folder;"
                        + " name no owner (or your own uid) to write in yours.");
            }
            return new Folder(owner, true);
        }

        /** The uid whose folder this is. */
        public String owner() {
            return owner;
        }

        public boolean isPublic() {
            return isPublic;
        }

        /** The key prefix of the folder: {@code users/<uid>/} or {@code public/<uid>/}. */
        public String prefix() {
            return (isPublic ? "public/" : "users/") + owner + "/";
        }

        @Override
        public String toString() {
            return isPublic ? "public folder" : "private folder";
        }
    }
}
