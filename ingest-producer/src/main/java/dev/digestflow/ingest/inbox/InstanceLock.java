package dev.digestflow.ingest.inbox;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An exclusive lock on {@code inbox/.claimed/<instance>.lock}, held for as long as an
 * instance runs. Two live instances with one {@code instance.id} would each take the other's claims for
 * leftovers of a crash and process them twice, or move them away mid-read; the second one refuses to
 * start instead. The operating system releases the lock when the process ends, however it ends, so a
 * lock that can be taken means that instance is gone. (On NFS, locks are only as good as its lock daemon.)
 */
public final class InstanceLock implements AutoCloseable {

    public static final String SUFFIX = ".lock";

    private final FileChannel channel;
    private final FileLock lock;

    private InstanceLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * The lock file of a claim folder: beside it, not in it, so the folder holds only claimed files.
     * It is never deleted: deleting a lock file lets two processes lock two different files of one name.
     */
    public static Path fileOf(Path claimDir) {
        return claimDir.resolveSibling(claimDir.getFileName() + SUFFIX);
    }

    /** Takes the lock of a claim folder, or returns null when a live instance holds it. */
    public static InstanceLock tryAcquire(Path claimDir) throws IOException {
        FileChannel ch = FileChannel.open(fileOf(claimDir), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        try {
            FileLock lock = ch.tryLock();
            if (lock == null) {
                ch.close();
                return null;
            }
            return new InstanceLock(ch, lock);
        } catch (OverlappingFileLockException heldInThisProcess) {
            ch.close();
            return null;
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            channel.close();
        }
    }
}
