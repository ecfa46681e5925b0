package org.ipmasq.agent.backend.hns;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;

/**
 * Replaces a file's content so that a reader (the CNI plugin starting a pod) sees either the
 * old or the new file, never a half-written one: the bytes go to a temporary file in the same
 * folder (same volume, so the move is a rename), are flushed to disk, and the temporary file is
 * moved over the target with ATOMIC_MOVE (rename(2) on Linux, MoveFileEx with
 * MOVEFILE_REPLACE_EXISTING on Windows). A symbolic link is followed, so the link stays a link.
 */
final class AtomicFile {

    private AtomicFile() {
    }

    static void replace(Path file, byte[] content) throws IOException {
        Path target = file.toRealPath();
        Path folder = target.getParent();
        // The temporary name ends in .tmp, so neither libcni nor our folder scan picks it up.
        Path temp = Files.createTempFile(folder, "." + target.getFileName() + ".", ".tmp");
        try {
            keepPermissions(target, temp);
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buffer = ByteBuffer.wrap(content);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
    }

    /** createTempFile makes the file owner-only on POSIX; the CNI plugin may run as someone else. */
    private static void keepPermissions(Path from, Path to) throws IOException {
        PosixFileAttributeView source = Files.getFileAttributeView(from, PosixFileAttributeView.class);
        if (source != null) {
            Files.setPosixFilePermissions(to, source.readAttributes().permissions());
        }
    }
}
