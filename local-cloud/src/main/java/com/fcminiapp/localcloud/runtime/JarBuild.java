package com.fcminiapp.localcloud.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.zip.ZipFile;

/**
 * One build of a function's jar: its SHA-256, size and modification time, and a private copy of its bytes that an
 * instance loads from, so a rebuild that rewrites the jar in place never changes the classes of a running instance.
 */
public final class JarBuild {

    /** The cheap part of a jar's identity, compared on every invocation: size and modification time. */
    static final class Stamp {
        final long size;
        final Instant modified;

        private Stamp(long size, Instant modified) {
            this.size = size;
            this.modified = modified;
        }

        /** The jar's stamp, or empty when there is no such file. */
        static Optional<Stamp> of(Path jar) throws IOException {
            try {
                BasicFileAttributes a = Files.readAttributes(jar, BasicFileAttributes.class);
                return a.isRegularFile() ? Optional.of(new Stamp(a.size(), a.lastModifiedTime().toInstant()))
                        : Optional.empty();
            } catch (NoSuchFileException e) {
                return Optional.empty();
            }
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Stamp && ((Stamp) o).size == size && ((Stamp) o).modified.equals(modified);
        }

        @Override
        public int hashCode() {
            return Objects.hash(size, modified);
        }
    }

    public final String sha256;
    public final long size;
    public final Instant modified;
    /** The private copy the instance's class loader reads. */
    final Path copy;

    private JarBuild(String sha256, Stamp stamp, Path copy) {
        this.sha256 = sha256;
        this.size = stamp.size;
        this.modified = stamp.modified;
        this.copy = copy;
    }

    /**
     * Copies {@code jar} into {@code snapshots} while hashing it. Empty when the jar is not a complete jar holding
     * {@code classFiles} (still being written, changed while copied, or broken): the caller keeps what it has and
     * looks again once the jar's stamp changes.
     */
    static Optional<JarBuild> snapshot(Path jar, Stamp stamp, Path snapshots, String name, List<String> classFiles)
            throws IOException {
        Files.createDirectories(snapshots);
        Path copy = Files.createTempFile(snapshots, name + "-", ".jar");
        MessageDigest sha = sha256();
        try (InputStream in = Files.newInputStream(jar);
             OutputStream out = new DigestOutputStream(Files.newOutputStream(copy), sha)) {
            in.transferTo(out);
        } catch (NoSuchFileException e) {
            Files.deleteIfExists(copy);
            return Optional.empty();
        }
        if (!Stamp.of(jar).equals(Optional.of(stamp)) || !holds(copy, classFiles)) {
            Files.deleteIfExists(copy);
            return Optional.empty();
        }
        return Optional.of(new JarBuild(hex(sha.digest()), stamp, copy));
    }

    /** A readable zip (its central directory, written last, is there) with every one of {@code classFiles}. */
    private static boolean holds(Path copy, List<String> classFiles) {
        try (ZipFile zip = new ZipFile(copy.toFile())) {
            return classFiles.stream().allMatch(f -> zip.getEntry(f) != null);
        } catch (IOException e) {
            return false;
        }
    }

    /** The first 12 hex digits: enough to tell builds apart in a log line. */
    public String shortSha() {
        return sha256.substring(0, 12);
    }

    void deleteCopy() {
        try {
            Files.deleteIfExists(copy);
        } catch (IOException ignored) {
            // a leftover copy is removed at the next start
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    private static String hex(byte[] bytes) {
        StringBuilder sb = new StringBuilder(bytes.length * 2);
        for (byte b : bytes) {
            sb.append(Character.forDigit((b >> 4) & 0xF, 16)).append(Character.forDigit(b & 0xF, 16));
        }
        return sb.toString();
    }
}
