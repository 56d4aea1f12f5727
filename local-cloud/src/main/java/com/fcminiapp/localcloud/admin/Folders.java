package com.fcminiapp.localcloud.admin;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;

/** File-system steps of imports and exports: owner-only folders, deleting a tree without following links, fsync. */
final class Folders {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

    private Folders() {
    }

    /** Creates the folder {@code dir} (not its parents) readable by its owner only, where permissions exist. */
    static Path createPrivate(Path dir) throws IOException {
        if (!POSIX) {
            return Files.createDirectory(dir);
        }
        FileAttribute<?> ownerOnly = PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));
        return Files.createDirectory(dir, ownerOnly);
    }

    /** A name no one else uses for {@code base} in its folder: {@code base} + "-" + 16 random hex digits. */
    static String unique(String base) {
        return base + "-" + Long.toHexString(RANDOM.nextLong() | Long.MIN_VALUE);
    }

    /** Deletes {@code root} and everything under it; a link is deleted, never followed; missing is fine. */
    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.deleteIfExists(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                if (e instanceof NoSuchFileException) {
                    return FileVisitResult.CONTINUE;
                }
                throw e;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                if (e != null) {
                    throw e;
                }
                Files.deleteIfExists(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /** Deletes {@code root} as {@link #deleteTree} does; a failure only leaves a folder behind, so it is ignored. */
    static void deleteQuietly(Path root) {
        try {
            deleteTree(root);
        } catch (IOException | RuntimeException ignored) {
            // a hidden leftover folder, removed at the next start (undo) or harmless (export)
        }
    }

    /** Makes a file's or folder's content (a folder: its entries) durable. */
    static void sync(Path path) throws IOException {
        boolean folder = Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS);
        try (FileChannel channel = FileChannel.open(path, folder ? StandardOpenOption.READ : StandardOpenOption.WRITE)) {
            channel.force(true);
        } catch (IOException e) {
            if (!folder || !System.getProperty("os.name", "").startsWith("Windows")) {
                throw e;
            }
            // Windows cannot open a folder; NTFS journals its renames
        }
    }
}
