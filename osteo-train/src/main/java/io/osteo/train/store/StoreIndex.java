package io.osteo.train.store;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * The store's index {@code store.json}: what the shards hold and which source files they were
 * built from (paths, sizes and modification times, hashed), and whether the build completed. It
 * is rewritten atomically after every finished shard, so an interrupted build resumes from it.
 *
 * @param format store format version
 * @param key format and texture-pool settings the maps were computed with
 * @param rowsPerShard rows per shard (the last one may hold fewer)
 * @param rows manifest rows stored
 * @param sourcesHash SHA-256 over every shard's source hash
 * @param complete true once every shard is written
 * @param shards the shards written so far, in row order
 */
record StoreIndex(int format, String key, int nx, int ny, int nz, int maps, boolean mapsMidSlice, long rowBytes,
        int rowsPerShard, int rows, String sourcesHash, boolean complete, List<Shard> shards) {

    static final String FILE = "store.json";
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();

    /**
     * One shard.
     *
     * @param file file name inside the store folder
     * @param firstRow manifest row of its first row
     * @param rows rows it holds
     * @param bytes its size in bytes
     * @param sourceHash SHA-256 of the source fingerprints of its rows
     */
    record Shard(String file, int firstRow, int rows, long bytes, String sourceHash) {}

    StoreIndex {
        shards = shards == null ? List.of() : List.copyOf(shards);
    }

    /** The index in {@code dir}, or null when there is none. */
    static StoreIndex read(Path dir) {
        Path f = dir.resolve(FILE);
        try {
            String json = Files.readString(f, StandardCharsets.UTF_8);
            StoreIndex index = GSON.fromJson(json, StoreIndex.class);
            if (index == null || index.key() == null) {
                throw new CohortStoreException(f, "is empty or not a cohort store index; delete the folder or rebuild");
            }
            return index;
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new CohortStoreException(f, "cannot be read: " + e.getMessage(), e);
        } catch (JsonParseException | IllegalStateException e) {
            throw new CohortStoreException(f, "is corrupt (" + e.getMessage() + "); rebuild the store", e);
        }
    }

    /** The index in {@code dir}, or null when there is none or it cannot be read (the builder then rebuilds). */
    static StoreIndex readQuietly(Path dir) {
        try {
            return read(dir);
        } catch (CohortStoreException e) {
            org.slf4j.LoggerFactory.getLogger(StoreIndex.class).info("{}: rebuilding the store", e.getMessage());
            return null;
        }
    }

    void write(Path dir) {
        Path f = dir.resolve(FILE);
        Path tmp = dir.resolve(FILE + ".tmp");
        try {
            Files.writeString(tmp, GSON.toJson(this) + "\n", StandardCharsets.UTF_8);
            moveAtomically(tmp, f);
        } catch (IOException e) {
            throw new CohortStoreException(f, "cannot be written: " + e.getMessage(), e);
        }
    }

    static void moveAtomically(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
