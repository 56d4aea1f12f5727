package com.fcminiapp.localcloud;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One local-cloud per data folder: an OS lock on {@code <data>/local-cloud.lock}, taken before the data files open
 * and released by the OS when the process ends however it ends (so a killed process leaves no stale lock). The file
 * holds {@code {"pid", "url"}} (the endpoint, never a secret), so a second start can say where the first one is.
 */
final class DataDirLock implements AutoCloseable {

    static final String FILE = "local-cloud.lock";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The locked byte, past any content, so the content stays readable where locks are mandatory. */
    private static final long LOCKED_POSITION = Long.MAX_VALUE - 1;

    /** Thrown when another local-cloud holds the lock; its message is what the user reads. */
    static final class AlreadyRunning extends IOException {
        AlreadyRunning(String message) {
            super(message);
        }
    }

    private final FileChannel channel;
    private final FileLock lock;

    private DataDirLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** Takes the lock of {@code dataDir} and records this process, or says who holds it. */
    static DataDirLock acquire(Path dataDir) throws IOException {
        Path file = dataDir.resolve(FILE);
        // never through a link: opening truncates nothing, but the record would overwrite what a link points to
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
        FileLock lock;
        try {
            lock = channel.tryLock(LOCKED_POSITION, 1, false);
        } catch (OverlappingFileLockException sameProcess) {
            lock = null;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        if (lock == null) {
            channel.close();
            throw new AlreadyRunning("local-cloud is already running on " + dataDir + " (" + holder(file)
                    + "); stop it, or start this one with another --data");
        }
        DataDirLock held = new DataDirLock(channel, lock);
        held.record(null);
        return held;
    }

    /** Writes this process and, once serving, its endpoint into the lock file. */
    void record(String url) throws IOException {
        ObjectNode info = JSON.createObjectNode().put("pid", ProcessHandle.current().pid());
        if (url != null) {
            info.put("url", url);
        }
        byte[] bytes = JSON.writeValueAsBytes(info);
        channel.truncate(0);
        channel.write(ByteBuffer.wrap(bytes), 0);
        channel.force(false);
    }

    /** "pid N, URL" from the holder's record; what is missing is said so. */
    private static String holder(Path file) {
        try {
            JsonNode info = JSON.readTree(Files.readAllBytes(file));
            String pid = info.has("pid") ? "pid " + info.get("pid").asText() : "pid unknown";
            return pid + ", " + (info.has("url") ? info.get("url").asText() : "still starting");
        } catch (IOException | RuntimeException e) {
            return "pid unknown, still starting";
        }
    }

    /** Empties the record and releases the lock. */
    @Override
    public void close() throws IOException {
        try {
            channel.truncate(0);
        } finally {
            lock.release();
            channel.close();
        }
    }
}
