package io.osteo.spark.executor;

import io.osteo.api.InvalidInputException;
import io.osteo.api.OsteoException;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * A packaged model directory as bytes, shipped from the driver to the executors in a Spark
 * broadcast: an executor of a cluster cannot see the driver's disk, so the driver reads the
 * directory once and every executor writes its own copy ({@link #materialise}) before building its
 * screener. Identified by the SHA-256 of its relative file names and contents.
 *
 * @param name the directory's file name (for messages)
 * @param sha256 hex SHA-256 over the sorted (relative path, bytes) pairs
 * @param files relative path ('/'-separated) to file contents
 */
public record ModelBundle(String name, String sha256, Map<String, byte[]> files) implements Serializable {

    private static final long serialVersionUID = 1L;
    private static final String COMPLETE = ".osteo-bundle-complete";

    public ModelBundle {
        files = Map.copyOf(files);
    }

    /**
     * Reads every regular file under {@code directory}.
     *
     * @throws InvalidInputException if the directory does not exist or holds no file
     */
    public static ModelBundle read(Path directory) {
        if (!Files.isDirectory(directory)) {
            throw new InvalidInputException("model directory " + directory + " does not exist or is not a directory");
        }
        Map<String, byte[]> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(directory)) {
            for (Path p : (Iterable<Path>) walk.filter(Files::isRegularFile).sorted()::iterator) {
                String rel = directory.relativize(p).toString().replace('\\', '/');
                files.put(rel, Files.readAllBytes(p));
            }
        } catch (IOException e) {
            throw new OsteoException("model directory " + directory + " could not be read: " + e.getMessage(), e);
        }
        if (files.isEmpty()) {
            throw new InvalidInputException("model directory " + directory + " holds no file");
        }
        return new ModelBundle(directory.getFileName().toString(), digest(files), files);
    }

    /** SHA-256 of a model directory's files, as {@link #sha256()} of its bundle. */
    static String digest(Map<String, byte[]> sortedFiles) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (Map.Entry<String, byte[]> e : new TreeMap<>(sortedFiles).entrySet()) {
                md.update(e.getKey().getBytes(StandardCharsets.UTF_8));
                md.update((byte) 0);
                md.update(e.getValue());
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /**
     * Writes the files to {@code root/osteo-model-<sha256>} unless a complete copy is already there
     * (another task of this JVM, an earlier job); the copy appears atomically (written to a
     * temporary sibling, then renamed). Returns the directory.
     */
    public Path materialise(Path root) {
        Path target = root.resolve("osteo-model-" + sha256);
        if (Files.isRegularFile(target.resolve(COMPLETE))) {
            return target;
        }
        try {
            Files.createDirectories(root);
            Path tmp = Files.createTempDirectory(root, "osteo-model-tmp-");
            for (Map.Entry<String, byte[]> e : files.entrySet()) {
                Path f = tmp.resolve(e.getKey());
                Files.createDirectories(f.getParent());
                Files.write(f, e.getValue());
            }
            Files.write(tmp.resolve(COMPLETE), new byte[0]);
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException | DirectoryNotEmptyException | AtomicMoveNotSupportedException e) {
                deleteTree(tmp); // a concurrent task won the race
                if (!Files.isRegularFile(target.resolve(COMPLETE))) {
                    throw new OsteoException("model copy " + target + " exists but is incomplete", e);
                }
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("model " + name + " could not be written to " + root + ": " + e.getMessage(), e);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }

    @Override
    public String toString() {
        return "ModelBundle[" + name + ", " + files.size() + " files, sha256 " + sha256 + "]";
    }
}
