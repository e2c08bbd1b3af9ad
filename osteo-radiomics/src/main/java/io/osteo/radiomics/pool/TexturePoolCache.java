package io.osteo.radiomics.pool;

import com.google.common.hash.Hasher;
import com.google.common.hash.Hashing;
import com.google.gson.Gson;
import com.google.gson.reflect.TypeToken;
import io.osteo.api.InvalidInputException;
import io.osteo.api.OsteoException;
import io.osteo.api.volume.ImageGeometry;
import io.osteo.api.volume.Volume;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A directory of computed texture pools (compute once per cohort, store next to the images).
 * Each entry is a file {@code <key>.otp}, where the key is the SHA-256 of the settings JSON, the
 * image grid and voxels, and the mask; so a changed image, mask or setting never hits a stale entry.
 *
 * <p>File format (gzip): magic {@code OSTEOTP1}; key; settings JSON; channel scales JSON; grid
 * (nx, ny, nz, spacing, origin, direction); ROI voxel count; channel count; then each channel as
 * little-endian float32, x fastest. Reading validates magic, key, settings, sizes and the end of
 * data; an unreadable or mismatching entry is logged, recomputed and rewritten. Writes go to a
 * temporary file that is moved into place, so concurrent writers of the same key are safe.
 *
 * <p>Thread-safe.
 */
public final class TexturePoolCache {

    private static final Logger LOG = LoggerFactory.getLogger(TexturePoolCache.class);
    private static final String MAGIC = "OSTEOTP1";
    private static final Gson GSON = new Gson();

    private final Path directory;

    /** A cache in {@code directory} (created on first write). */
    public TexturePoolCache(Path directory) {
        if (directory == null) {
            throw new InvalidInputException("texture pool cache directory is missing");
        }
        this.directory = directory;
    }

    /** A cache in the folder {@code .texture-pool} next to {@code imageFile}. */
    public static TexturePoolCache nextTo(Path imageFile) {
        Path parent = imageFile.toAbsolutePath().getParent();
        return new TexturePoolCache(parent.resolve(".texture-pool"));
    }

    public Path directory() {
        return directory;
    }

    /** The cache key of a pool computation (hex SHA-256). */
    public static String key(TexturePoolSettings settings, Volume image, boolean[] mask) {
        Hasher h = Hashing.sha256().newHasher();
        h.putString(settings.toJson(), java.nio.charset.StandardCharsets.UTF_8);
        ImageGeometry g = image.geometry();
        h.putInt(g.nx()).putInt(g.ny()).putInt(g.nz());
        for (double v : g.spacing()) {
            h.putDouble(v);
        }
        for (double v : g.origin()) {
            h.putDouble(v);
        }
        for (double v : g.direction()) {
            h.putDouble(v);
        }
        float[] voxels = image.toArray();
        ByteBuffer bb = ByteBuffer.allocate(4 * 4096).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < voxels.length; i++) {
            bb.putFloat(voxels[i]);
            if (!bb.hasRemaining()) {
                h.putBytes(bb.array(), 0, bb.position());
                bb.clear();
            }
        }
        h.putBytes(bb.array(), 0, bb.position());
        if (mask.length != voxels.length) {
            throw new InvalidInputException("mask has " + mask.length + " voxels but the image has " + voxels.length);
        }
        byte[] bits = new byte[(mask.length + 7) / 8];
        for (int i = 0; i < mask.length; i++) {
            if (mask[i]) {
                bits[i >> 3] |= (byte) (1 << (i & 7));
            }
        }
        h.putBytes(bits);
        return h.hash().toString();
    }

    /** The file an entry with this key lives in. */
    public Path file(String key) {
        return directory.resolve(key + ".otp");
    }

    /** The cached pool of (image, mask) under the pool's settings, computing and storing it if absent. */
    public TexturePoolResult getOrCompute(TexturePool pool, Volume image, boolean[] mask) {
        String key = key(pool.settings(), image, mask);
        Path file = file(key);
        if (Files.isRegularFile(file)) {
            try {
                return read(file, key, pool.settings());
            } catch (OsteoException e) {
                LOG.warn("texture pool cache entry {} is unusable ({}); recomputing", file, e.getMessage());
            }
        }
        TexturePoolResult result = pool.compute(image, mask);
        write(result, key, file);
        return result;
    }

    /** Writes a result under {@code key} to {@code file} (atomically replaced). */
    public static void write(TexturePoolResult result, String key, Path file) {
        try {
            Path dir = file.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
            try (OutputStream os = Files.newOutputStream(tmp);
                    DataOutputStream out = new DataOutputStream(new BufferedOutputStream(new GZIPOutputStream(os), 1 << 16))) {
                out.writeUTF(MAGIC);
                out.writeUTF(key);
                writeString(out, result.settings().toJson());
                writeString(out, GSON.toJson(result.scales()));
                ImageGeometry g = result.geometry();
                out.writeInt(g.nx());
                out.writeInt(g.ny());
                out.writeInt(g.nz());
                for (double[] arr : new double[][] {g.spacing(), g.origin(), g.direction()}) {
                    for (double v : arr) {
                        out.writeDouble(v);
                    }
                }
                out.writeInt(result.roiVoxels());
                out.writeInt(result.channelCount());
                ByteBuffer bb = ByteBuffer.allocate(4 * g.voxelCount()).order(ByteOrder.LITTLE_ENDIAN);
                for (Volume ch : result.channels()) {
                    bb.clear();
                    bb.asFloatBuffer().put(ch.toArray());
                    out.write(bb.array());
                }
            } catch (IOException | RuntimeException e) {
                Files.deleteIfExists(tmp);
                throw e;
            }
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new OsteoException("cannot write texture pool cache file " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads an entry, checking that it was stored under {@code key} with {@code expected} settings.
     *
     * @throws OsteoException naming the file and the problem if it is truncated, corrupt or mismatching
     */
    public static TexturePoolResult read(Path file, String key, TexturePoolSettings expected) {
        try (InputStream is = Files.newInputStream(file);
                DataInputStream in = new DataInputStream(new BufferedInputStream(new GZIPInputStream(is), 1 << 16))) {
            if (!MAGIC.equals(in.readUTF())) {
                throw new OsteoException("texture pool cache file " + file + " has a wrong magic number");
            }
            String storedKey = in.readUTF();
            if (!storedKey.equals(key)) {
                throw new OsteoException("texture pool cache file " + file + " holds key " + storedKey + ", not " + key);
            }
            TexturePoolSettings settings = TexturePoolSettings.fromJson(readString(in, file));
            if (!settings.equals(expected)) {
                throw new OsteoException("texture pool cache file " + file + " was computed with other settings");
            }
            List<Normalization.ChannelScale> scales = GSON.fromJson(readString(in, file),
                    new TypeToken<List<Normalization.ChannelScale>>() {}.getType());
            int nx = in.readInt();
            int ny = in.readInt();
            int nz = in.readInt();
            double[][] arrs = {new double[3], new double[3], new double[9]};
            for (double[] arr : arrs) {
                for (int i = 0; i < arr.length; i++) {
                    arr[i] = in.readDouble();
                }
            }
            ImageGeometry g = new ImageGeometry(nx, ny, nz, arrs[0], arrs[1], arrs[2]);
            int roi = in.readInt();
            int channels = in.readInt();
            if (channels != settings.channelCount() || scales == null || scales.size() != channels) {
                throw new OsteoException("texture pool cache file " + file + " has " + channels
                        + " channels, settings say " + settings.channelCount());
            }
            if (g.voxelCount() > (Integer.MAX_VALUE - 8) / 4) {
                throw new OsteoException("texture pool cache file " + file + " claims an implausible grid " + g);
            }
            byte[] buf = new byte[4 * g.voxelCount()];
            List<Volume> volumes = new ArrayList<>();
            for (int c = 0; c < channels; c++) {
                in.readFully(buf);
                float[] v = new float[g.voxelCount()];
                ByteBuffer.wrap(buf).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v);
                volumes.add(Volume.wrap(g, v));
            }
            if (in.read() != -1) {
                throw new OsteoException("texture pool cache file " + file + " has data after its last channel");
            }
            return new TexturePoolResult(settings, volumes, scales, roi);
        } catch (EOFException e) {
            throw new OsteoException("texture pool cache file " + file + " is truncated", e);
        } catch (IOException | InvalidInputException | com.google.gson.JsonParseException e) {
            throw new OsteoException("texture pool cache file " + file + " is unreadable: " + e.getMessage(), e);
        }
    }

    private static void writeString(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    private static String readString(DataInputStream in, Path file) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > (1 << 24)) {
            throw new OsteoException("texture pool cache file " + file + " has a corrupt text length " + n);
        }
        byte[] b = new byte[n];
        in.readFully(b);
        return new String(b, java.nio.charset.StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "TexturePoolCache[" + directory + "]";
    }

}
