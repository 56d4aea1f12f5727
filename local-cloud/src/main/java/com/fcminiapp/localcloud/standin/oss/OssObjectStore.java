package com.fcminiapp.localcloud.standin.oss;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fcminiapp.localcloud.standin.DurableStore;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Buckets and objects on disk: each object's bytes in a file under {@code root/<bucket>/} named by a random id,
 * never by the key, and its metadata in an MVStore map per bucket keyed by the hex of the key's UTF-8 bytes,
 * so the map's order is OSS's byte order and a key can never name a path. An object is durable before it is
 * acknowledged: its bytes are fsync'd under a temporary name, renamed atomically (the folder fsync'd), and only then
 * does the metadata, committed and fsync'd, point at them, so a crash leaves the old object or the new, whole.
 */
final class OssObjectStore implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern BUCKET_NAME = Pattern.compile("[a-z0-9][a-z0-9-]{1,61}[a-z0-9]");
    private static final String BUCKET_MAP_PREFIX = "bucket:";

    /** What OSS keeps about an object besides its bytes. */
    static final class ObjectMeta {
        public String key;
        public long size;
        /** Uppercase hex MD5, unquoted. */
        public String etag;
        public String crc64;
        public long lastModifiedMillis;
        /** Content-Type, Content-Disposition, Cache-Control… as given at upload. */
        public Map<String, String> headers = new LinkedHashMap<>();
        /** User metadata names in lower case, without {@code x-oss-meta-}. */
        public Map<String, String> userMetadata = new LinkedHashMap<>();
        /** The data file's name inside the bucket folder. */
        public String file;
    }

    /** An upload in progress: bytes written to a temporary file while their digests are computed. */
    static final class Staged {
        final Path file;
        long size;
        String md5Hex;
        String md5Base64;
        String crc64;

        Staged(Path file) {
            this.file = file;
        }
    }

    private final Path root;
    private final MVStore store;
    private final DurableStore durability;
    private final MVMap<String, Long> buckets;

    OssObjectStore(Path root) {
        this.root = root.toAbsolutePath().normalize();
        try {
            Files.createDirectories(this.root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.store = new MVStore.Builder().fileName(this.root.resolve(".oss-meta.mv.db").toString()).open();
        this.durability = new DurableStore(store);
        this.buckets = store.openMap("buckets");
    }

    static boolean isValidBucketName(String name) {
        return name != null && BUCKET_NAME.matcher(name).matches();
    }

    synchronized void createBucket(String name) {
        if (!isValidBucketName(name)) {
            throw new IllegalArgumentException("invalid bucket name: " + name);
        }
        try {
            Files.createDirectories(bucketDir(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        buckets.putIfAbsent(name, System.currentTimeMillis());
        durability.written();
    }

    boolean bucketExists(String name) {
        return isValidBucketName(name) && buckets.containsKey(name);
    }

    /** Copies {@code in} to a temporary file in the bucket folder, computing MD5 and CRC64 on the way. */
    Staged stage(String bucket, InputStream in, long maxBytes) throws IOException {
        Path tmp = bucketDir(bucket).resolve(".upload-" + UUID.randomUUID());
        Staged staged = new Staged(tmp);
        MessageDigest md5 = md5();
        Crc64 crc = new Crc64();
        byte[] buffer = new byte[65536];
        try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            OutputStream out = Channels.newOutputStream(channel);
            int n;
            while ((n = in.read(buffer)) != -1) {
                staged.size += n;
                if (staged.size > maxBytes) {
                    throw new OssError(400, "EntityTooLarge", "Your proposed upload exceeds the maximum allowed size.");
                }
                md5.update(buffer, 0, n);
                crc.update(buffer, 0, n);
                out.write(buffer, 0, n);
            }
            channel.force(true);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        byte[] digest = md5.digest();
        staged.md5Hex = hex(digest).toUpperCase(Locale.ROOT);
        staged.md5Base64 = java.util.Base64.getEncoder().encodeToString(digest);
        staged.crc64 = crc.unsignedValue();
        return staged;
    }

    void discard(Staged staged) {
        try {
            Files.deleteIfExists(staged.file);
        } catch (IOException ignored) {
            // a leftover temporary file only wastes space
        }
    }

    /**
     * Makes a staged upload the object {@code meta.key}; with {@code forbidOverwrite} an existing object wins
     * and false is returned.
     */
    boolean commit(String bucket, Staged staged, ObjectMeta meta, boolean forbidOverwrite) throws IOException {
        meta.size = staged.size;
        meta.etag = staged.md5Hex;
        meta.crc64 = staged.crc64;
        meta.file = "obj-" + UUID.randomUUID();
        Path target = bucketDir(bucket).resolve(meta.file);
        String previousFile;
        synchronized (this) {
            MVMap<String, String> objects = objects(bucket);
            String hexKey = hexKey(meta.key);
            String previous = objects.get(hexKey);
            if (previous != null && forbidOverwrite) {
                discard(staged);
                return false;
            }
            Files.move(staged.file, target, StandardCopyOption.ATOMIC_MOVE);
            syncDirectory(target.getParent());
            objects.put(hexKey, write(meta));
            durability.written();
            previousFile = previous == null ? null : read(previous).file;
        }
        if (previousFile != null) {
            Files.deleteIfExists(bucketDir(bucket).resolve(previousFile));
        }
        return true;
    }

    Optional<ObjectMeta> find(String bucket, String key) {
        String json = objects(bucket).get(hexKey(key));
        return json == null ? Optional.empty() : Optional.of(read(json));
    }

    /** Opens the object's bytes; empty when it was deleted or replaced meanwhile. */
    Optional<InputStream> open(String bucket, ObjectMeta meta) {
        try {
            return Optional.of(Files.newInputStream(bucketDir(bucket).resolve(meta.file)));
        } catch (java.nio.file.NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void delete(String bucket, String key) throws IOException {
        String removed;
        synchronized (this) {
            removed = objects(bucket).remove(hexKey(key));
            durability.written();
        }
        if (removed != null) {
            Files.deleteIfExists(bucketDir(bucket).resolve(read(removed).file));
        }
    }

    /** One page of a V1 listing, before encoding. */
    static final class Listing {
        final List<ObjectMeta> objects = new ArrayList<>();
        final List<String> commonPrefixes = new ArrayList<>();
        boolean truncated;
        String nextMarker;
    }

    Listing list(String bucket, String prefix, String marker, String delimiter, int maxKeys) {
        MVMap<String, String> objects = objects(bucket);
        String hexPrefix = hexKey(prefix);
        String hexMarker = hexKey(marker);
        Listing listing = new Listing();
        String cursor = hexMarker.compareTo(hexPrefix) >= 0 && !hexMarker.isEmpty()
                ? objects.higherKey(hexMarker)
                : objects.ceilingKey(hexPrefix);
        int returned = 0;
        String lastReturned = null;
        while (cursor != null && cursor.startsWith(hexPrefix)) {
            String key = unhexKey(cursor);
            String commonPrefix = null;
            if (!delimiter.isEmpty()) {
                int at = key.indexOf(delimiter, prefix.length());
                if (at >= 0) {
                    commonPrefix = key.substring(0, at + delimiter.length());
                }
            }
            if (commonPrefix != null && hexKey(commonPrefix).compareTo(hexMarker) <= 0) {
                // this group was the last entry of an earlier page
                cursor = objects.ceilingKey(hexKey(commonPrefix) + "g");
                continue;
            }
            if (returned == maxKeys) {
                listing.truncated = true;
                listing.nextMarker = lastReturned;
                break;
            }
            if (commonPrefix != null) {
                listing.commonPrefixes.add(commonPrefix);
                lastReturned = commonPrefix;
                // 'g' sorts after every hex digit: skip the whole group
                cursor = objects.ceilingKey(hexKey(commonPrefix) + "g");
            } else {
                listing.objects.add(read(objects.get(cursor)));
                lastReturned = key;
                cursor = objects.higherKey(cursor);
            }
            returned++;
        }
        return listing;
    }

    @Override
    public void close() {
        store.close();
    }

    /** Makes a rename in {@code dir} survive a power loss (Linux and macOS allow fsync on a directory). */
    private static void syncDirectory(Path dir) throws IOException {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            if (!System.getProperty("os.name", "").startsWith("Windows")) {
                throw e;
            }
            // Windows cannot open a directory; its renames are journaled by NTFS
        }
    }

    private MVMap<String, String> objects(String bucket) {
        return store.openMap(BUCKET_MAP_PREFIX + bucket);
    }

    private Path bucketDir(String bucket) {
        if (!isValidBucketName(bucket)) {
            throw new IllegalArgumentException("invalid bucket name: " + bucket);
        }
        return root.resolve(bucket);
    }

    static String hexKey(String key) {
        return hex(key.getBytes(StandardCharsets.UTF_8));
    }

    static String unhexKey(String hex) {
        byte[] bytes = new byte[hex.length() / 2];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) Integer.parseInt(hex.substring(2 * i, 2 * i + 2), 16);
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }

    static String hex(byte[] bytes) {
        StringBuilder sb = new StringBuilder(bytes.length * 2);
        for (byte b : bytes) {
            sb.append(Character.forDigit((b >> 4) & 0xF, 16)).append(Character.forDigit(b & 0xF, 16));
        }
        return sb.toString();
    }

    private static MessageDigest md5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String write(ObjectMeta meta) {
        try {
            return JSON.writeValueAsString(meta);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ObjectMeta read(String json) {
        try {
            return JSON.readValue(json, ObjectMeta.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
