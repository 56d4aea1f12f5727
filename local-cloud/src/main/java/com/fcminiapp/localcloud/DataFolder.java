package com.fcminiapp.localcloud;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;

/**
 * The data folder ({@code --data}) at start. It holds the account owner's secret, the key pairs and issued keys
 * (local-cloud.mv.db) and every user's rows and files, so it and what holds keys are made readable by their owner
 * only (0700 folders, 0600 files, where the file system has POSIX permissions), and local-cloud follows no link
 * inside it: a link would let it read, overwrite or delete (function-builds is emptied at every start) whatever
 * the link points to. A link anywhere in it stops the start, before anything is opened or deleted.
 */
final class DataFolder {

    /** The file H2 keeps the stand-ins' state in: keys, sessions, rows. */
    static final String STORE = "local-cloud.mv.db";
    static final String OSS = "oss";
    static final String OSS_META = ".oss-meta.mv.db";
    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    private static final Set<PosixFilePermission> FOLDER = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

    private DataFolder() {
    }

    /** Creates the folder if needed and refuses a link anywhere inside it, naming the link. */
    static void check(Path dataDir) throws IOException {
        // an existing folder may itself be a link (the user named it), which createDirectories would refuse
        if (!Files.isDirectory(dataDir)) {
            Files.createDirectories(dataDir, POSIX ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(FOLDER)}
                    : new FileAttribute<?>[0]);
        }
        // what is inside the folder --data names may not be a link
        Path real = dataDir.toRealPath();
        Files.walkFileTree(real, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                return visitFile(dir, attrs);
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                if (attrs.isSymbolicLink()) {
                    throw new IOException(file + " is a symbolic link; local-cloud follows no link inside its data"
                            + " folder (" + dataDir + "), so that it never reads, overwrites or deletes what one points"
                            + " to. Remove the link (nothing was changed), or start with another --data");
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                if (e instanceof NoSuchFileException) {
                    // a running local-cloud removed it meanwhile; the lock then says which one
                    return FileVisitResult.CONTINUE;
                }
                throw e;
            }
        });
    }

    /**
     * Makes the folder and what holds keys owner-only, creating the store files and folders first so that they
     * never exist with wider permissions; call while holding the data folder's lock.
     */
    static void restrict(Path dataDir) throws IOException {
        if (!POSIX) {
            return;
        }
        Files.setPosixFilePermissions(dataDir, FOLDER);
        for (Path folder : List.of(dataDir.resolve(LocalCloud.FUNCTION_BUILDS), dataDir.resolve(OSS))) {
            if (!Files.exists(folder, LinkOption.NOFOLLOW_LINKS)) {
                Files.createDirectory(folder, PosixFilePermissions.asFileAttribute(FOLDER));
            }
            Files.setPosixFilePermissions(folder, FOLDER);
        }
        for (Path file : List.of(dataDir.resolve(STORE), dataDir.resolve(OSS).resolve(OSS_META),
                dataDir.resolve(DataDirLock.FILE))) {
            if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(FILE));
            }
            Files.setPosixFilePermissions(file, FILE);
        }
    }

    /**
     * The folder of the private jar copies the function instances load, emptied of what a killed run left; only
     * this process uses it, since it holds the data folder's lock. Each entry is deleted itself, never followed.
     */
    static Path clearedBuilds(Path dataDir) throws IOException {
        Path builds = dataDir.resolve(LocalCloud.FUNCTION_BUILDS);
        if (Files.isDirectory(builds, LinkOption.NOFOLLOW_LINKS)) {
            try (DirectoryStream<Path> left = Files.newDirectoryStream(builds)) {
                for (Path p : left) {
                    Files.deleteIfExists(p);
                }
            }
        }
        return builds;
    }
}
