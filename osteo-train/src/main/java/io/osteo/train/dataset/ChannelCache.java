package io.osteo.train.dataset;

import com.google.common.hash.Hashing;
import io.osteo.api.OsteoException;
import io.osteo.api.io.VolumeIo;
import io.osteo.api.volume.ImageGeometry;
import io.osteo.api.volume.LabelMap;
import io.osteo.api.volume.Volume;
import io.osteo.train.manifest.ManifestEntry;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Disk cache of the channels ({@link PatchChannels}) of each vertebra: computed once, then read
 * back. The key hashes the image and mask paths, sizes and modification times together with the
 * channel settings, so a changed image or setting never reuses a stale entry. Files are raw
 * little-endian float32 with a small header (magic, channel count, grid size) and are written
 * atomically (temporary file, then rename), so concurrent or interrupted writers cannot leave a
 * partial entry. Thread-safe.
 */
public final class ChannelCache {
    private static final int MAGIC = 0x4F535443; // "OSTC"
    private static final int HEADER_BYTES = 20;

    private final Path folder;
    private final PatchChannels channels;

    /**
     * @param folder where cache files live (created if missing)
     * @param channels how channels are computed
     */
    public ChannelCache(Path folder, PatchChannels channels) {
        this.folder = folder;
        this.channels = channels;
        try {
            Files.createDirectories(folder);
        } catch (IOException e) {
            throw new OsteoException("cannot create channel cache folder " + folder + ": " + e.getMessage(), e);
        }
    }

    /** The channel source. */
    public PatchChannels channels() {
        return channels;
    }

    /** True when the entry's channels are cached and current. */
    public boolean isCached(ManifestEntry entry) {
        return Files.isRegularFile(file(entry));
    }

    /** The entry's channels, computing and storing them first if needed. */
    public CachedPatch get(ManifestEntry entry) {
        Path f = file(entry);
        if (Files.isRegularFile(f)) {
            return read(f);
        }
        Volume image = VolumeIo.readVolume(entry.image()).requireFinite("CT patch " + entry.image());
        LabelMap mask = null;
        if (entry.mask() != null) {
            mask = VolumeIo.readLabels(entry.mask());
            VolumeIo.requireSameGrid(image, mask, entry.image().toString(), entry.mask().toString());
        }
        float[] data = channels.compute(image, mask);
        ImageGeometry g = image.geometry();
        if (data.length != channels.channelCount() * g.voxelCount()) {
            throw new OsteoException("channel source " + channels.cacheKey() + " returned " + data.length
                    + " values for " + entry.image() + ", expected " + channels.channelCount() + " x " + g.voxelCount());
        }
        CachedPatch patch = new CachedPatch(channels.channelCount(), g.nx(), g.ny(), g.nz(), data);
        write(f, patch);
        return patch;
    }

    Path file(ManifestEntry entry) {
        StringBuilder key = new StringBuilder(channels.cacheKey());
        append(key, entry.image());
        if (entry.mask() != null) {
            append(key, entry.mask());
        }
        String hash = Hashing.sha256().hashString(key, StandardCharsets.UTF_8).toString();
        return folder.resolve(hash.substring(0, 2)).resolve(hash + ".f32");
    }

    private static void append(StringBuilder key, Path p) {
        Path abs = p.toAbsolutePath().normalize();
        key.append('|').append(abs);
        try {
            key.append('|').append(Files.size(abs)).append('|').append(Files.getLastModifiedTime(abs).toMillis());
        } catch (IOException e) {
            throw new OsteoException("cannot read " + abs + " for the channel cache: " + e.getMessage(), e);
        }
    }

    private static CachedPatch read(Path f) {
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
            ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, header);
            header.flip();
            int magic = header.getInt();
            int c = header.getInt();
            int nx = header.getInt();
            int ny = header.getInt();
            int nz = header.getInt();
            long expected = HEADER_BYTES + 4L * c * nx * ny * nz;
            if (magic != MAGIC || c < 1 || nx < 1 || ny < 1 || nz < 1 || ch.size() != expected) {
                throw new OsteoException("channel cache file " + f + " is corrupt (delete it to recompute)");
            }
            ByteBuffer body = ByteBuffer.allocate((int) (expected - HEADER_BYTES)).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, body);
            body.flip();
            float[] data = new float[c * nx * ny * nz];
            body.asFloatBuffer().get(data);
            return new CachedPatch(c, nx, ny, nz, data);
        } catch (IOException e) {
            throw new OsteoException("cannot read channel cache file " + f + ": " + e.getMessage(), e);
        }
    }

    private static void readFully(FileChannel ch, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            if (ch.read(buffer) < 0) {
                throw new IOException("unexpected end of file");
            }
        }
    }

    private static void write(Path f, CachedPatch patch) {
        try {
            Files.createDirectories(f.getParent());
            Path tmp = Files.createTempFile(f.getParent(), f.getFileName().toString(), ".tmp");
            ByteBuffer buf = ByteBuffer.allocate(HEADER_BYTES + 4 * patch.data().length).order(ByteOrder.LITTLE_ENDIAN);
            buf.putInt(MAGIC).putInt(patch.channels()).putInt(patch.nx()).putInt(patch.ny()).putInt(patch.nz());
            buf.asFloatBuffer().put(patch.data());
            buf.position(0);
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
            }
            try {
                Files.move(tmp, f, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, f, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new OsteoException("cannot write channel cache file " + f + ": " + e.getMessage(), e);
        }
    }

    /**
     * The cached channels of one patch.
     *
     * @param channels channel count C
     * @param nx voxels along x
     * @param ny voxels along y
     * @param nz voxels along z
     * @param data channel-major values, C x nz x ny x nx (x fastest)
     */
    public record CachedPatch(int channels, int nx, int ny, int nz, float[] data) {}
}
