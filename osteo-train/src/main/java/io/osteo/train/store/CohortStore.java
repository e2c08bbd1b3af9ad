package io.osteo.train.store;

import com.google.common.hash.Hasher;
import com.google.common.hash.Hashing;
import io.osteo.api.InvalidInputException;
import io.osteo.api.OsteoException;
import io.osteo.api.io.VolumeIo;
import io.osteo.api.progress.ProgressListener;
import io.osteo.api.volume.ImageGeometry;
import io.osteo.api.volume.LabelMap;
import io.osteo.api.volume.Volume;
import io.osteo.radiomics.glcm.GlcmFeature;
import io.osteo.radiomics.pool.Normalization;
import io.osteo.radiomics.pool.TexturePool;
import io.osteo.radiomics.pool.TexturePoolSettings;
import io.osteo.radiomics.voxel.VoxelMaps;
import io.osteo.train.finetune.LabelledData;
import io.osteo.train.finetune.LabelledVertebra;
import io.osteo.train.manifest.Manifest;
import io.osteo.train.manifest.ManifestEntry;
import io.osteo.train.manifest.Split;
import io.osteo.train.pretrain.PoolPatch;
import io.osteo.train.pretrain.PretrainingData;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A compact on-disk cache of a cohort's texture pools, read one vertebra at a time: the data path
 * of budgets whose cohort does not fit in memory (the paper's 30k vertebrae at 64^3).
 *
 * <p><b>What is stored.</b> Every manifest row, in manifest order: channel 0 the CT as int16 HU
 * (exact for int16 CT; non-integer HU are rounded, at most 0.5 HU; values outside -32768..32767
 * are refused), channels 1..M the texture pool's raw GLCM maps ({@link TexturePool#computeMaps},
 * no normalisation: the pool must be configured with {@link Normalization#none()}) as IEEE half
 * ({@link Half}; relative error at most 2^-11; NaN where a voxel has no value), and the ROI (the
 * manifest's mask, or the whole patch) as bits. With {@link Builder#mapsOnAxialMidSliceOnly} the
 * maps are computed and stored on the axial mid-slice z = nz / 2 only (2D budgets; binning over
 * that slice's ROI). All patches of a store must have one grid size. Map values must stay below
 * 65504 (half range): true for the paper's features at bin width 25 on CT (at most ~165 gray
 * levels); a build that meets a larger value stops with a {@link CohortStoreException}.
 *
 * <p><b>Files.</b> A folder with {@code shard-NNNNN.oss} files of at most {@link
 * Builder#shardBytes} bytes (default 1 GiB) and an index {@code store.json}. A shard has a header
 * (magic, format version, channel count, shape, row count, the texture-pool settings JSON as
 * cache key, one CRC32C per row, a header CRC32C) and fixed-size rows; it is written as {@code
 * .tmp} and renamed when complete. Shards are byte-identical for the same manifest rows, images
 * and settings (whatever the thread count); the index also records source fingerprints (paths
 * relative to the manifest's folder, sizes, modification times), so a cohort folder moved or
 * copied with its modification times kept ({@code cp -a}, {@code rsync -a}) keeps its store. {@link Builder#build()} reuses a complete current store, completes
 * an interrupted build shard by shard, rebuilds a store made with other settings, and never
 * hands out a partial or stale one ({@link Builder#open()} refuses those). Remove a store with
 * {@link #clean(Path)} or by deleting its folder.
 *
 * <p><b>Footprint</b> (row bytes are exact; see {@link #rowBytes()}): per vertebra at 64^3 with 1 +
 * 4 channels, 2 x 262,144 (HU) + 4 x 2 x 262,144 (maps) + 32,768 (ROI bits) = 2,654,208 bytes
 * (2.53 MiB), so 30,000 vertebrae take 79.6 GB (74.2 GiB) in 75 shards; with maps on the
 * mid-slice only 589,824 bytes (17.7 GB for 30k). Measured ({@code BoundedMemoryRun}, 2-core
 * machine at load ~15): 149 synthetic vertebrae at 64^3 (781 MB as float32) take 395.6 MB on
 * disk (25 shards of 16 MiB); reading every one through {@link PretrainingData} and {@link
 * LabelledData} with a prefetch thread, a 2.5D pass and the statistics ran under {@code -Xmx64m}
 * with a peak RSS of 132 MB (reads go through the OS page cache, which is not the process's
 * memory; the store's heap does not grow with the cohort beyond the manifest metadata). Building
 * at 64^3 needs more heap for the texture-pool computation itself: 2 build threads ran under
 * {@code -Xmx192m} (peak RSS 250 MB) and ran out of memory under 64 MB. Heap per {@link
 * #patch(int)}: the returned patch (channels x voxels x 4 bytes, 5.2 MB at 64^3) plus one reusable
 * direct read buffer of {@link #rowBytes()} per reading thread; the manifest metadata is the
 * only per-vertebra heap (a few hundred bytes each).
 *
 * <p><b>Reading.</b> Positional reads ({@link FileChannel#read(ByteBuffer, long)}) of one row per
 * {@link #patch(int)}, checked against the row's CRC32C unless {@link Builder#verifyChecksums} is
 * off. Values are physical: HU as float, raw map values (NaN = no value); normalise them with
 * {@link ChannelStatistics#normalise}. Thread-safe: a prefetch thread may read while the
 * training thread does (an interrupted reader does not break the store for the others). Layout
 * ({@link PatchLayout}) is chosen when opening, {@link #withLayout} gives another view of the
 * same files.
 *
 * <pre>{@code
 * TexturePool pool = TexturePool.builder().features(GlcmFeature.paperFeatures()).kernelRadius(2)
 *         .binWidth(25).normalization(Normalization.none()).build();
 * try (CohortStore store = CohortStore.builder().manifest(manifest).directory(Path.of("cohort/store"))
 *         .texturePool(pool).threads(2).layout(PatchLayout.volume()).build()) {
 *     ChannelStatistics stats = store.statistics(Set.of(Split.PRETRAIN));
 *     PretrainingData unlabelled = store.pretraining(Set.of(Split.PRETRAIN), Integer.MAX_VALUE);
 *     LabelledData train = store.labelled(Split.TRAIN);
 * }
 * }</pre>
 */
public final class CohortStore implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CohortStore.class);
    /** Store format version (part of the cache key). */
    public static final int FORMAT = 1;
    /** Default largest shard size, bytes (1 GiB). */
    public static final long DEFAULT_SHARD_BYTES = 1L << 30;
    private static final String SHARD_PREFIX = "shard-";
    private static final String SHARD_SUFFIX = ".oss";

    private final Files0 files;
    private final Manifest manifest;
    private final PatchLayout layout;
    private final boolean verify;

    private CohortStore(Files0 files, Manifest manifest, PatchLayout layout, boolean verify) {
        this.files = files;
        this.manifest = manifest;
        this.layout = layout;
        this.verify = verify;
        RowFormat f = files.format;
        if (layout.kind() == PatchLayout.Kind.SLAB && layout.slices() > f.nz()) {
            throw new InvalidInputException("a 2.5D slab of " + layout.slices() + " slices does not fit patches of "
                    + f.nz() + " axial slices");
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Opens a complete store with whatever texture-pool settings it was built with (see {@link
     * #settings()}), checking that it was built from {@code manifest}'s files.
     *
     * @throws CohortStoreException if the store is missing, partial, stale or corrupt
     */
    public static CohortStore open(Path directory, Manifest manifest, PatchLayout layout) {
        return builder().directory(directory).manifest(manifest).layout(layout).open();
    }

    /**
     * Deletes the store in {@code directory}: its shards, index and temporary files (nothing else),
     * then the folder if it is left empty. Returns the bytes freed.
     */
    public static long clean(Path directory) {
        if (!Files.isDirectory(directory)) {
            return 0;
        }
        long freed = 0;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(directory)) {
            for (Path p : ds) {
                if (isStoreFile(p.getFileName().toString())) {
                    freed += Files.size(p);
                    Files.delete(p);
                }
            }
        } catch (IOException e) {
            throw new CohortStoreException(directory, "cannot be cleaned: " + e.getMessage(), e);
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(directory)) {
            if (!ds.iterator().hasNext()) {
                Files.delete(directory);
            }
        } catch (IOException e) {
            LOG.debug("store folder {} not removed: {}", directory, e.toString());
        }
        return freed;
    }

    private static boolean isStoreFile(String name) {
        return name.equals(StoreIndex.FILE) || name.equals(StoreIndex.FILE + ".tmp")
                || (name.startsWith(SHARD_PREFIX) && (name.endsWith(SHARD_SUFFIX) || name.endsWith(SHARD_SUFFIX + ".tmp")));
    }

    /** The same files in another layout (shares the open files; closing either closes both). */
    public CohortStore withLayout(PatchLayout newLayout) {
        return new CohortStore(files, manifest, newLayout, verify);
    }

    /** The layout patches are handed out in. */
    public PatchLayout layout() {
        return layout;
    }

    /** The store's folder. */
    public Path directory() {
        return files.directory;
    }

    /** The manifest whose rows this store holds (row i = manifest entry i). */
    public Manifest manifest() {
        return manifest;
    }

    /** The texture-pool settings the maps were computed with (raw, no normalisation). */
    public TexturePoolSettings settings() {
        return files.settings;
    }

    /** True when the maps exist on the axial mid-slice only. */
    public boolean mapsOnAxialMidSliceOnly() {
        return files.format.mapsMidSlice();
    }

    /** Number of rows (every manifest row). */
    public int size() {
        return files.rows;
    }

    /** The manifest row {@code row}. */
    public ManifestEntry entry(int row) {
        checkRow(row);
        return manifest.entries().get(row);
    }

    /** The stored grid, {nz, ny, nx}. */
    public int[] storedShape() {
        return new int[] {files.format.nz(), files.format.ny(), files.format.nx()};
    }

    /** Shape of the patches in this layout: [D, H, W] or [H, W]. */
    public int[] patchShape() {
        RowFormat f = files.format;
        return layout.isPlanar() ? new int[] {f.ny(), f.nx()} : new int[] {f.nz(), f.ny(), f.nx()};
    }

    /** Channels of the patches in this layout: HU channels, then one per map. */
    public int channelCount() {
        return layout.huChannels() + files.format.maps();
    }

    /** Channel names in this layout: "hu" (or "hu z-1", "hu z", "hu z+1" for slabs), then the feature names. */
    public List<String> channelNames() {
        List<String> names = new ArrayList<>();
        if (layout.huChannels() == 1) {
            names.add("hu");
        } else {
            int half = layout.huChannels() / 2;
            for (int j = -half; j <= half; j++) {
                names.add(j == 0 ? "hu z" : j < 0 ? "hu z" + j : "hu z+" + j);
            }
        }
        files.settings.features().forEach(f -> names.add(f.pyRadiomicsName()));
        return List.copyOf(names);
    }

    /** Bytes of one stored vertebra. */
    public long rowBytes() {
        return files.format.rowBytes();
    }

    /** Bytes the store takes on disk (shards and index). */
    public long diskBytes() {
        long sum = 0;
        try {
            for (Shard s : files.shards) {
                sum += Files.size(s.file);
            }
            sum += Files.size(files.directory.resolve(StoreIndex.FILE));
        } catch (IOException e) {
            throw new CohortStoreException(files.directory, "cannot be measured: " + e.getMessage(), e);
        }
        return sum;
    }

    /**
     * The patch of row {@code row} in this store's layout, physical values: HU channel(s) as float,
     * then the raw maps (NaN where a voxel has no value). Reads the row from disk now.
     *
     * @throws CohortStoreException if the row cannot be read or fails its checksum (names the shard)
     */
    public PoolPatch patch(int row) {
        checkRow(row);
        ByteBuffer buf = readRow(row);
        return decode(buf);
    }

    /** The ROI of row {@code row} in this layout's spatial shape (x fastest; the mid-slice for 2D layouts). */
    public boolean[] roi(int row) {
        checkRow(row);
        ByteBuffer buf = readRow(row);
        RowFormat f = files.format;
        int n = layout.isPlanar() ? f.sliceVoxels() : f.voxels();
        int base = layout.isPlanar() ? f.midSlice() * f.sliceVoxels() : 0;
        boolean[] out = new boolean[n];
        for (int i = 0; i < n; i++) {
            out[i] = roiBit(buf, f, base + i);
        }
        return out;
    }

    /**
     * Rows of the given splits (labelled or not) as pretraining data, in manifest order, at most
     * {@code limit} of them. Each {@code get} reads its patch from disk.
     *
     * @throws InvalidInputException if fewer than 2 rows qualify
     */
    public PretrainingData pretraining(Set<Split> splits, int limit) {
        int[] rows = rows(splits, false, limit);
        if (rows.length < 2) {
            throw new InvalidInputException("cohort store " + files.directory + " has " + rows.length
                    + " vertebrae in splits " + splits + " (pretraining needs at least 2)");
        }
        return new PretrainingData() {
            @Override
            public int size() {
                return rows.length;
            }

            @Override
            public PoolPatch get(int index) {
                return patch(rows[index]);
            }
        };
    }

    /** The labelled rows (label and BMD present) of one split, in manifest order; each {@code get} reads from disk. */
    public LabelledData labelled(Split split) {
        int[] rows = rows(EnumSet.of(split), true, Integer.MAX_VALUE);
        return new LabelledData() {
            @Override
            public int size() {
                return rows.length;
            }

            @Override
            public LabelledVertebra get(int index) {
                ManifestEntry e = manifest.entries().get(rows[index]);
                return new LabelledVertebra(e.patientId(), e.site(), e.level(), e.device(), e.label(), e.bmd(),
                        patch(rows[index]));
            }
        };
    }

    /** {@link #statistics(Set)} of one split. */
    public ChannelStatistics statistics(Split split) {
        return statistics(EnumSet.of(split));
    }

    /**
     * Per-channel mean and SD over every row of {@code splits} in this layout, inside the ROI, over
     * voxels with a value; one streaming pass, one patch in memory at a time (Chan's pairwise
     * combination of per-patch moments, in double).
     */
    public ChannelStatistics statistics(Set<Split> splits) {
        int[] rows = rows(splits, false, Integer.MAX_VALUE);
        int channels = channelCount();
        long[] count = new long[channels];
        double[] mean = new double[channels];
        double[] m2 = new double[channels];
        RowFormat f = files.format;
        for (int row : rows) {
            ByteBuffer buf = readRow(row);
            PoolPatch p = decode(buf);
            for (int c = 0; c < channels; c++) {
                float[] v = p.channels()[c];
                int base = roiBase(c);
                long n = 0;
                double sum = 0;
                for (int i = 0; i < v.length; i++) {
                    if (!Float.isNaN(v[i]) && roiBit(buf, f, base + i)) {
                        sum += v[i];
                        n++;
                    }
                }
                if (n == 0) {
                    continue;
                }
                double mu = sum / n;
                double ss = 0;
                for (int i = 0; i < v.length; i++) {
                    if (!Float.isNaN(v[i]) && roiBit(buf, f, base + i)) {
                        double d = v[i] - mu;
                        ss += d * d;
                    }
                }
                long total = count[c] + n;
                double delta = mu - mean[c];
                mean[c] += delta * n / total;
                m2[c] += ss + delta * delta * ((double) count[c] * n / total);
                count[c] = total;
            }
        }
        List<String> names = channelNames();
        List<ChannelStatistics.Channel> out = new ArrayList<>();
        for (int c = 0; c < channels; c++) {
            boolean any = count[c] > 0;
            out.add(new ChannelStatistics.Channel(names.get(c), any ? mean[c] : Double.NaN,
                    any ? Math.sqrt(m2[c] / count[c]) : Double.NaN, count[c]));
        }
        return new ChannelStatistics(rows.length, out);
    }

    /**
     * Reads every row and checks it against its checksum (whatever {@link Builder#verifyChecksums}
     * says).
     *
     * @throws CohortStoreException naming the first corrupt shard and row
     */
    public void verify() {
        for (int row = 0; row < files.rows; row++) {
            ByteBuffer buf = readRaw(row);
            checkCrc(row, buf);
        }
    }

    /** Closes the shard files (also for every {@link #withLayout} view). */
    @Override
    public void close() {
        files.close();
    }

    // ---------------------------------------------------------------- reading

    private void checkRow(int row) {
        if (row < 0 || row >= files.rows) {
            throw new IndexOutOfBoundsException("row " + row + " outside the store's 0.." + (files.rows - 1));
        }
    }

    private int[] rows(Set<Split> splits, boolean labelledOnly, int limit) {
        if (splits == null || splits.isEmpty()) {
            throw new InvalidInputException("no splits given for a cohort store view");
        }
        if (limit < 0) {
            throw new InvalidInputException("view limit " + limit + " must be >= 0");
        }
        List<ManifestEntry> entries = manifest.entries();
        int[] rows = new int[entries.size()];
        int n = 0;
        for (int i = 0; i < entries.size() && n < limit; i++) {
            ManifestEntry e = entries.get(i);
            if (splits.contains(e.split()) && (!labelledOnly || (e.label() != null && e.bmd() != null))) {
                rows[n++] = i;
            }
        }
        return Arrays.copyOf(rows, n);
    }

    private int roiBase(int channel) {
        RowFormat f = files.format;
        return switch (layout.kind()) {
            case VOLUME -> 0;
            case MID_SLICE -> f.midSlice() * f.sliceVoxels();
            case SLAB -> {
                int z0 = f.midSlice() - layout.slices() / 2;
                yield (channel < layout.slices() ? z0 + channel : f.midSlice()) * f.sliceVoxels();
            }
        };
    }

    private static boolean roiBit(ByteBuffer buf, RowFormat f, int voxel) {
        return (buf.get((int) f.roiOffset() + (voxel >>> 3)) & (1 << (voxel & 7))) != 0;
    }

    private ByteBuffer readRow(int row) {
        ByteBuffer buf = readRaw(row);
        if (verify) {
            checkCrc(row, buf);
        }
        return buf;
    }

    private void checkCrc(int row, ByteBuffer buf) {
        Shard s = files.shard(row);
        int r = row - s.header.firstRow();
        CRC32C crc = new CRC32C();
        crc.update(buf.duplicate());
        if ((int) crc.getValue() != s.header.crcs()[r]) {
            ManifestEntry e = manifest.entries().get(row);
            throw new CohortStoreException(s.file, "row " + r + " (manifest row " + row + ", patient " + e.patientId()
                    + " " + e.level() + ") fails its checksum: the shard is corrupt; rebuild the store");
        }
    }

    private ByteBuffer readRaw(int row) {
        Shard s = files.shard(row);
        ByteBuffer buf = files.buffer();
        long position = s.header.headerBytes() + (long) (row - s.header.firstRow()) * s.header.rowBytes();
        for (int attempt = 0; ; attempt++) {
            FileChannel ch = s.channel(files);
            buf.clear();
            try {
                ShardHeader.readFully(ch, buf, position);
                return buf;
            } catch (ClosedByInterruptException e) {
                throw new OsteoException("reading row " + row + " of " + s.file + " was interrupted", e);
            } catch (ClosedChannelException e) {
                if (files.closed.get() || attempt > 0) {
                    throw new CohortStoreException(s.file, "is closed (the cohort store was closed)", e);
                }
                // another reader was interrupted, which closes a FileChannel for everyone: reopen
            } catch (IOException e) {
                throw new CohortStoreException(s.file, "row " + (row - s.header.firstRow()) + " cannot be read: "
                        + e.getMessage(), e);
            }
        }
    }

    private PoolPatch decode(ByteBuffer buf) {
        RowFormat f = files.format;
        int maps = f.maps();
        int slice = f.sliceVoxels();
        int mid = f.midSlice();
        float[][] ch = new float[layout.huChannels() + maps][];
        switch (layout.kind()) {
            case VOLUME -> {
                ch[0] = hu(buf, 0, f.voxels());
                for (int c = 0; c < maps; c++) {
                    if (f.mapsMidSlice()) {
                        float[] v = new float[f.voxels()];
                        Arrays.fill(v, Float.NaN);
                        System.arraycopy(map(buf, f, c, 0, slice), 0, v, mid * slice, slice);
                        ch[1 + c] = v;
                    } else {
                        ch[1 + c] = map(buf, f, c, 0, f.voxels());
                    }
                }
                return new PoolPatch(new int[] {f.nz(), f.ny(), f.nx()}, ch);
            }
            case MID_SLICE, SLAB -> {
                int k = layout.huChannels();
                int z0 = mid - k / 2;
                for (int j = 0; j < k; j++) {
                    ch[j] = hu(buf, (z0 + j) * slice, slice);
                }
                int mapStart = f.mapsMidSlice() ? 0 : mid * slice;
                for (int c = 0; c < maps; c++) {
                    ch[k + c] = map(buf, f, c, mapStart, slice);
                }
                return new PoolPatch(new int[] {f.ny(), f.nx()}, ch);
            }
            default -> throw new IllegalStateException(layout.toString());
        }
    }

    private static float[] hu(ByteBuffer buf, int firstVoxel, int n) {
        float[] out = new float[n];
        int off = 2 * firstVoxel;
        for (int i = 0; i < n; i++) {
            out[i] = buf.getShort(off + 2 * i);
        }
        return out;
    }

    private static float[] map(ByteBuffer buf, RowFormat f, int c, int first, int n) {
        float[] out = new float[n];
        int off = (int) f.mapOffset(c, first);
        for (int i = 0; i < n; i++) {
            out[i] = Half.toFloat(buf.getShort(off + 2 * i));
        }
        return out;
    }

    // ---------------------------------------------------------------- open files

    /** One shard file, opened for reading. */
    private static final class Shard {
        final Path file;
        final ShardHeader header;
        volatile FileChannel channel;

        Shard(Path file, ShardHeader header, FileChannel channel) {
            this.file = file;
            this.header = header;
            this.channel = channel;
        }

        FileChannel channel(Files0 owner) {
            FileChannel ch = channel;
            if (ch.isOpen() || owner.closed.get()) {
                return ch;
            }
            synchronized (this) {
                if (!channel.isOpen()) {
                    try {
                        channel = FileChannel.open(file, StandardOpenOption.READ);
                    } catch (IOException e) {
                        throw new CohortStoreException(file, "cannot be reopened: " + e.getMessage(), e);
                    }
                }
                return channel;
            }
        }
    }

    /** The open files of a store, shared by its layout views. */
    private static final class Files0 {
        final Path directory;
        final TexturePoolSettings settings;
        final RowFormat format;
        final int rows;
        final int rowsPerShard;
        final List<Shard> shards;
        final AtomicBoolean closed = new AtomicBoolean();
        final ThreadLocal<ByteBuffer> buffers;

        Files0(Path directory, TexturePoolSettings settings, RowFormat format, int rows, int rowsPerShard,
                List<Shard> shards) {
            this.directory = directory;
            this.settings = settings;
            this.format = format;
            this.rows = rows;
            this.rowsPerShard = rowsPerShard;
            this.shards = shards;
            int bytes = (int) format.rowBytes();
            this.buffers = ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(bytes).order(ByteOrder.LITTLE_ENDIAN));
        }

        Shard shard(int row) {
            return shards.get(row / rowsPerShard);
        }

        ByteBuffer buffer() {
            return buffers.get();
        }

        void close() {
            if (closed.compareAndSet(false, true)) {
                for (Shard s : shards) {
                    try {
                        s.channel.close();
                    } catch (IOException e) {
                        LOG.debug("closing {}: {}", s.file, e.toString());
                    }
                }
            }
        }
    }

    // ---------------------------------------------------------------- building

    static String key(TexturePoolSettings settings, boolean mapsMidSlice) {
        return "cohort-store-v" + FORMAT + "|maps " + (mapsMidSlice ? "axial mid-slice" : "all slices")
                + "|raw maps, no normalisation|" + settings.toJson();
    }

    static String shardName(int s) {
        return String.format(java.util.Locale.ROOT, "%s%05d%s", SHARD_PREFIX, s, SHARD_SUFFIX);
    }

    /**
     * Identity of a row's source files: path (relative to the manifest's folder when inside it,
     * so a cohort folder moved with its modification times kept stays current), size and
     * modification time of the image and the mask.
     */
    private static String fingerprint(ManifestEntry e, Path base) {
        StringBuilder sb = new StringBuilder();
        appendFile(sb, e.image(), base);
        if (e.mask() != null) {
            appendFile(sb, e.mask(), base);
        }
        return sb.toString();
    }

    private static void appendFile(StringBuilder sb, Path p, Path base) {
        Path abs = p.toAbsolutePath().normalize();
        Path shown = base != null && abs.startsWith(base) ? base.relativize(abs) : abs;
        try {
            sb.append(shown.toString().replace('\\', '/')).append('|').append(Files.size(abs)).append('|')
                    .append(Files.getLastModifiedTime(abs).toMillis()).append('\n');
        } catch (IOException ex) {
            throw new CohortStoreException(abs, "cannot be read for the cohort store: " + ex.getMessage(), ex);
        }
    }

    private static Path base(Manifest manifest) {
        Path f = manifest.file();
        Path parent = f == null ? null : f.toAbsolutePath().normalize().getParent();
        return parent;
    }

    /** Which rows go into which shard, and the fingerprints they come from. */
    private record Plan(RowFormat format, String key, int rowsPerShard, int rows, List<String> shardHashes,
            String sourcesHash) {

        int shards() {
            return shardHashes.size();
        }

        int firstRow(int s) {
            return s * rowsPerShard;
        }

        int rowsIn(int s) {
            return Math.min(rowsPerShard, rows - firstRow(s));
        }

        StoreIndex.Shard shard(int s) {
            int n = rowsIn(s);
            long bytes = ShardHeader.headerBytes(key, n) + n * format.rowBytes();
            return new StoreIndex.Shard(shardName(s), firstRow(s), n, bytes, shardHashes.get(s));
        }

        StoreIndex index(List<StoreIndex.Shard> done, boolean complete) {
            return new StoreIndex(FORMAT, key, format.nx(), format.ny(), format.nz(), format.maps(), format.mapsMidSlice(),
                    format.rowBytes(), rowsPerShard, rows, sourcesHash, complete, done);
        }

        boolean sameLayout(StoreIndex i) {
            return i.format() == FORMAT && key.equals(i.key()) && i.nx() == format.nx() && i.ny() == format.ny()
                    && i.nz() == format.nz() && i.maps() == format.maps() && i.mapsMidSlice() == format.mapsMidSlice()
                    && i.rowBytes() == format.rowBytes() && i.rowsPerShard() == rowsPerShard;
        }
    }

    private static Plan plan(List<ManifestEntry> entries, Path base, RowFormat format, String key, long shardBytes) {
        int most = (int) Math.min(Integer.MAX_VALUE / 8, shardBytes / format.rowBytes() + 1);
        long room = shardBytes - ShardHeader.headerBytes(key, most);
        int rowsPerShard = (int) Math.max(1, Math.min(entries.size(), room / format.rowBytes()));
        List<String> hashes = rehash(entries, base, rowsPerShard);
        return new Plan(format, key, rowsPerShard, entries.size(), hashes, sourcesHash(hashes));
    }

    /** Fluent configuration of building or opening a store. Not thread-safe. */
    public static final class Builder {
        private Manifest manifest;
        private Path directory;
        private TexturePool pool;
        private TexturePoolSettings settings;
        private boolean mapsMidSlice;
        private int threads = 1;
        private ProgressListener progress = ProgressListener.NONE;
        private long shardBytes = DEFAULT_SHARD_BYTES;
        private PatchLayout layout = PatchLayout.volume();
        private boolean verifyChecksums = true;

        private Builder() {}

        /** The cohort: row i of the store is manifest entry i. Required. */
        public Builder manifest(Manifest manifest) {
            this.manifest = manifest;
            return this;
        }

        /** The store's folder (created if missing). Required. */
        public Builder directory(Path directory) {
            this.directory = directory;
            return this;
        }

        /**
         * The texture pool computing the maps; its normalisation must be {@link Normalization#none()}
         * (raw values). Its own thread count applies inside each patch; keep it 1 and use {@link
         * #threads} for patches in parallel. Required for {@link #build()}.
         */
        public Builder texturePool(TexturePool pool) {
            this.pool = pool;
            this.settings = pool == null ? null : pool.settings();
            return this;
        }

        /** Settings the store must have been built with (for {@link #open()}; {@link #build()} makes a pool of them). */
        public Builder settings(TexturePoolSettings settings) {
            this.settings = settings;
            this.pool = null;
            return this;
        }

        /** Compute and store the maps on the axial mid-slice only (2D budgets). Default false. */
        public Builder mapsOnAxialMidSliceOnly(boolean midSliceOnly) {
            this.mapsMidSlice = midSliceOnly;
            return this;
        }

        /** Patches computed in parallel while building. Default 1. */
        public Builder threads(int threads) {
            if (threads < 1) {
                throw new InvalidInputException("thread count " + threads + " must be >= 1");
            }
            this.threads = threads;
            return this;
        }

        /** Progress of building (task "cohort store", one unit per vertebra). */
        public Builder progress(ProgressListener progress) {
            this.progress = progress == null ? ProgressListener.NONE : progress;
            return this;
        }

        /** Largest shard file, bytes (default 1 GiB; at most 2 GiB - 1; a shard holds at least one row). */
        public Builder shardBytes(long bytes) {
            if (bytes < 4096 || bytes > Integer.MAX_VALUE) {
                throw new InvalidInputException("shard size " + bytes + " bytes must be between 4096 and " + Integer.MAX_VALUE);
            }
            this.shardBytes = bytes;
            return this;
        }

        /** Layout of the patches handed out (default {@link PatchLayout#volume()}). */
        public Builder layout(PatchLayout layout) {
            if (layout == null) {
                throw new InvalidInputException("patch layout is missing");
            }
            this.layout = layout;
            return this;
        }

        /** Check each row read against its CRC32C (default true; costs well under a millisecond per 64^3 row). */
        public Builder verifyChecksums(boolean verify) {
            this.verifyChecksums = verify;
            return this;
        }

        /**
         * Opens the store, building it first where needed: a complete store with the same settings
         * and source files is reused as it is; an interrupted build is completed (finished shards
         * whose sources did not change are kept); a store with other settings is rebuilt.
         *
         * @throws CohortStoreException for unreadable, mis-sized or out-of-range CT patches, or I/O failures
         */
        public CohortStore build() {
            requireCommon();
            if (settings == null) {
                throw new InvalidInputException("building a cohort store needs a texture pool (texturePool(...))");
            }
            if (settings.normalization().kind() != Normalization.Kind.NONE) {
                throw new InvalidInputException("the cohort store keeps raw texture maps: configure the texture pool with "
                        + "Normalization.none(), not " + settings.normalization().kind()
                        + " (normalise later with fixed training-pool statistics, ChannelStatistics)");
            }
            TexturePool p = pool != null ? pool : TexturePool.of(settings);
            try {
                Files.createDirectories(directory);
            } catch (IOException e) {
                throw new CohortStoreException(directory, "cannot be created: " + e.getMessage(), e);
            }
            new StoreWriter(this, p).run();
            return open();
        }

        /**
         * Opens a complete store without building.
         *
         * @throws CohortStoreException if it is missing, partial, built with other settings (when
         *     settings were given) or from other files, or corrupt
         */
        public CohortStore open() {
            requireCommon();
            StoreIndex index = StoreIndex.read(directory);
            Path indexFile = directory.resolve(StoreIndex.FILE);
            if (index == null) {
                throw new CohortStoreException(indexFile, "is missing: no cohort store here (build it first)");
            }
            if (!index.complete()) {
                throw new CohortStoreException(indexFile, "describes a partial store (" + index.shards().size()
                        + " shards written; an interrupted build?): build() completes it");
            }
            if (index.format() != FORMAT) {
                throw new CohortStoreException(indexFile, "has store format " + index.format() + ", this library reads "
                        + FORMAT + ": rebuild the store");
            }
            TexturePoolSettings stored = storedSettings(index, indexFile);
            if (settings != null && !key(settings, mapsMidSlice).equals(index.key())) {
                throw new CohortStoreException(indexFile, "was built with other texture-pool settings (stale): stored "
                        + index.key() + "; wanted " + key(settings, mapsMidSlice) + ". build() rebuilds it");
            }
            RowFormat format = new RowFormat(index.nx(), index.ny(), index.nz(), index.maps(), index.mapsMidSlice());
            if (format.maps() != stored.features().size() || format.rowBytes() != index.rowBytes()) {
                throw new CohortStoreException(indexFile, "is inconsistent (channel count or row size); rebuild the store");
            }
            List<String> shardHashes = rehash(manifest.entries(), base(manifest), index.rowsPerShard());
            String sources = sourcesHash(shardHashes);
            if (index.rows() != manifest.size() || !sources.equals(index.sourcesHash())) {
                throw new CohortStoreException(indexFile, "was built from other files than manifest " + manifest.file()
                        + " lists (" + index.rows() + " rows stored, " + manifest.size()
                        + " in the manifest, or images changed since): stale; build() updates it");
            }
            List<Shard> shards = new ArrayList<>();
            try {
                for (StoreIndex.Shard s : index.shards()) {
                    Path file = directory.resolve(s.file());
                    if (!Files.isRegularFile(file)) {
                        throw new CohortStoreException(file, "is missing (the store is incomplete): rebuild the store");
                    }
                    FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
                    ShardHeader h;
                    try {
                        h = ShardHeader.read(ch, file);
                    } catch (RuntimeException e) {
                        ch.close();
                        closeAll(shards);
                        throw e;
                    }
                    shards.add(new Shard(file, h, ch));
                    if (!h.key().equals(index.key()) || h.firstRow() != s.firstRow() || h.rows() != s.rows()
                            || h.nx() != format.nx() || h.ny() != format.ny() || h.nz() != format.nz()
                            || h.channels() != 1 + format.maps() || h.rowBytes() != format.rowBytes()) {
                        closeAll(shards);
                        throw new CohortStoreException(file, "does not match the store index " + indexFile
                                + " (rows, shape or settings differ): rebuild the store");
                    }
                }
            } catch (IOException e) {
                closeAll(shards);
                throw new CohortStoreException(directory, "cannot be opened: " + e.getMessage(), e);
            }
            int covered = shards.stream().mapToInt(s -> s.header.rows()).sum();
            if (covered != index.rows() || shards.size() != shardHashes.size()) {
                closeAll(shards);
                throw new CohortStoreException(indexFile, "lists shards for " + covered + " rows, expected " + index.rows()
                        + ": rebuild the store");
            }
            Files0 files = new Files0(directory, stored, format, index.rows(), index.rowsPerShard(), List.copyOf(shards));
            return new CohortStore(files, manifest, layout, verifyChecksums);
        }

        private void requireCommon() {
            if (manifest == null || manifest.size() == 0) {
                throw new InvalidInputException("a cohort store needs a non-empty manifest");
            }
            if (directory == null) {
                throw new InvalidInputException("a cohort store needs a directory");
            }
        }

        private static void closeAll(List<Shard> shards) {
            for (Shard s : shards) {
                try {
                    s.channel.close();
                } catch (IOException e) {
                    LOG.debug("closing {}: {}", s.file, e.toString());
                }
            }
        }
    }

    private static TexturePoolSettings storedSettings(StoreIndex index, Path indexFile) {
        String key = index.key();
        int json = key.indexOf("|{");
        if (json < 0) {
            throw new CohortStoreException(indexFile, "has no texture-pool settings in its key; rebuild the store");
        }
        try {
            return TexturePoolSettings.fromJson(key.substring(json + 1));
        } catch (InvalidInputException e) {
            throw new CohortStoreException(indexFile, "holds unreadable texture-pool settings: " + e.getMessage(), e);
        }
    }

    private static List<String> rehash(List<ManifestEntry> entries, Path base, int rowsPerShard) {
        List<String> hashes = new ArrayList<>();
        for (int first = 0; first < entries.size(); first += rowsPerShard) {
            Hasher h = Hashing.sha256().newHasher();
            for (int r = first; r < Math.min(entries.size(), first + rowsPerShard); r++) {
                h.putString(fingerprint(entries.get(r), base), StandardCharsets.UTF_8);
            }
            hashes.add(h.hash().toString());
        }
        return List.copyOf(hashes);
    }

    private static String sourcesHash(List<String> shardHashes) {
        Hasher all = Hashing.sha256().newHasher();
        shardHashes.forEach(h -> all.putString(h, StandardCharsets.UTF_8));
        return all.hash().toString();
    }

    /** Builds or completes the shards of a store (one build at a time per folder). */
    private static final class StoreWriter {
        private final Builder b;
        private final TexturePool pool;
        private final AtomicInteger roundedRows = new AtomicInteger();

        StoreWriter(Builder b, TexturePool pool) {
            this.b = b;
            this.pool = pool;
        }

        void run() {
            List<ManifestEntry> entries = b.manifest.entries();
            RowFormat format = formatOf(entries.get(0));
            String key = key(pool.settings(), b.mapsMidSlice);
            Plan plan = plan(entries, base(b.manifest), format, key, b.shardBytes);
            Path dir = b.directory;
            StoreIndex old = StoreIndex.readQuietly(dir);
            List<StoreIndex.Shard> done = new ArrayList<>();
            boolean[] reuse = new boolean[plan.shards()];
            if (old != null && plan.sameLayout(old)) {
                for (int s = 0; s < plan.shards(); s++) {
                    StoreIndex.Shard want = plan.shard(s);
                    if (old.shards().contains(want) && shardIntact(dir.resolve(want.file()), want, key)) {
                        reuse[s] = true;
                    }
                }
            } else if (old != null) {
                LOG.info("cohort store {} was built with other settings or another grid: rebuilding it", dir);
            }
            int toBuild = 0;
            for (int s = 0; s < plan.shards(); s++) {
                if (reuse[s]) {
                    done.add(plan.shard(s));
                } else {
                    toBuild += plan.rowsIn(s);
                }
            }
            if (old != null && old.complete() && toBuild == 0 && old.equals(plan.index(done, true))) {
                return; // complete and current
            }
            deleteStale(dir, plan, reuse);
            String task = "cohort store";
            b.progress.started(task, toBuild);
            AtomicLong progressed = new AtomicLong();
            ExecutorService workers = Executors.newFixedThreadPool(b.threads, r -> {
                Thread t = new Thread(r, "cohort-store-writer");
                t.setDaemon(true);
                return t;
            });
            try {
                // the index names the finished shards only, so an interruption is resumed from here
                plan.index(done, false).write(dir);
                for (int s = 0; s < plan.shards(); s++) {
                    if (reuse[s]) {
                        continue;
                    }
                    writeShard(plan, s, entries, workers, task, progressed, toBuild);
                    done.add(plan.shard(s));
                    done.sort(java.util.Comparator.comparingInt(StoreIndex.Shard::firstRow));
                    plan.index(done, false).write(dir);
                }
            } finally {
                workers.shutdownNow();
            }
            plan.index(done, true).write(dir);
            if (roundedRows.get() > 0) {
                LOG.warn("{} CT patches had non-integer HU values; the store rounded them to int16 (error <= 0.5 HU)",
                        roundedRows.get());
            }
            b.progress.finished(task, toBuild + " vertebrae stored in " + dir + " (" + plan.shards() + " shards, "
                    + plan.format().rowBytes() + " bytes per vertebra)");
        }

        private RowFormat formatOf(ManifestEntry first) {
            ImageGeometry g = readImage(first).geometry();
            return new RowFormat(g.nx(), g.ny(), g.nz(), pool.settings().features().size(), b.mapsMidSlice);
        }

        private static boolean shardIntact(Path file, StoreIndex.Shard want, String key) {
            if (!Files.isRegularFile(file)) {
                return false;
            }
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
                ShardHeader h = ShardHeader.read(ch, file);
                return h.key().equals(key) && h.firstRow() == want.firstRow() && h.rows() == want.rows()
                        && h.fileBytes() == want.bytes();
            } catch (IOException | CohortStoreException e) {
                LOG.info("cohort store shard {} is not reusable ({}): rebuilding it", file, e.getMessage());
                return false;
            }
        }

        private static void deleteStale(Path dir, Plan plan, boolean[] reuse) {
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
                for (Path p : ds) {
                    String name = p.getFileName().toString();
                    if (!isStoreFile(name) || name.equals(StoreIndex.FILE)) {
                        continue;
                    }
                    boolean keep = false;
                    for (int s = 0; s < reuse.length; s++) {
                        keep |= reuse[s] && name.equals(shardName(s));
                    }
                    if (!keep) {
                        Files.delete(p);
                    }
                }
            } catch (IOException e) {
                throw new CohortStoreException(dir, "cannot remove stale shards: " + e.getMessage(), e);
            }
        }

        private void writeShard(Plan plan, int s, List<ManifestEntry> entries, ExecutorService workers, String task,
                AtomicLong progressed, int total) {
            Path file = b.directory.resolve(shardName(s));
            Path tmp = b.directory.resolve(shardName(s) + ".tmp");
            int first = plan.firstRow(s);
            int rows = plan.rowsIn(s);
            long rowBytes = plan.format().rowBytes();
            int headerBytes = ShardHeader.headerBytes(plan.key(), rows);
            int[] crcs = new int[rows];
            try {
                try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                        StandardOpenOption.WRITE)) {
                    List<Future<?>> futures = new ArrayList<>(rows);
                    for (int r = 0; r < rows; r++) {
                        int rr = r;
                        futures.add(workers.submit(() -> {
                            ManifestEntry e = entries.get(first + rr);
                            ByteBuffer row = encode(e, plan.format());
                            CRC32C crc = new CRC32C();
                            crc.update(row.duplicate());
                            crcs[rr] = (int) crc.getValue();
                            writeFully(ch, row, headerBytes + rr * rowBytes, tmp);
                            long d = progressed.incrementAndGet();
                            b.progress.progressed(task, d, total, e.patientId() + " " + e.level());
                            return null;
                        }));
                    }
                    await(futures);
                    ShardHeader h = new ShardHeader(1 + plan.format().maps(), plan.format().nx(), plan.format().ny(),
                            plan.format().nz(), plan.format().mapsMidSlice(), first, rows, rowBytes, plan.key(), crcs);
                    writeFully(ch, h.encode(), 0, tmp);
                    ch.force(true);
                }
                StoreIndex.moveAtomically(tmp, file);
            } catch (IOException e) {
                deleteQuietly(tmp);
                throw new CohortStoreException(tmp, "cannot be written: " + e.getMessage(), e);
            } catch (RuntimeException e) {
                deleteQuietly(tmp);
                throw e;
            }
        }

        private static void await(List<Future<?>> futures) {
            try {
                for (Future<?> f : futures) {
                    f.get();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                futures.forEach(f -> f.cancel(true));
                throw new OsteoException("building the cohort store was interrupted", e);
            } catch (ExecutionException e) {
                futures.forEach(f -> f.cancel(true));
                Throwable c = e.getCause();
                if (c instanceof OsteoException oe) {
                    throw oe;
                }
                throw new OsteoException("building the cohort store failed: " + c, c);
            }
        }

        private static void writeFully(FileChannel ch, ByteBuffer buf, long position, Path file) {
            long p = position;
            try {
                while (buf.hasRemaining()) {
                    p += ch.write(buf, p);
                }
            } catch (IOException e) {
                throw new CohortStoreException(file, "cannot be written at byte " + p + ": " + e.getMessage(), e);
            }
        }

        private static void deleteQuietly(Path p) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException e) {
                LOG.debug("cannot delete {}: {}", p, e.toString());
            }
        }

        private static Volume readImage(ManifestEntry e) {
            try {
                return VolumeIo.readVolume(e.image());
            } catch (OsteoException ex) {
                throw ex;
            } catch (RuntimeException ex) {
                throw new CohortStoreException(e.image(), "cannot be read as a CT patch: " + ex, ex);
            }
        }

        /** One row's bytes: HU int16, maps half, ROI bits (see {@link RowFormat}). */
        private ByteBuffer encode(ManifestEntry e, RowFormat f) {
            Volume image = readImage(e);
            ImageGeometry g = image.geometry();
            if (g.nx() != f.nx() || g.ny() != f.ny() || g.nz() != f.nz()) {
                throw new CohortStoreException(e.image(), "has a " + g.nx() + "x" + g.ny() + "x" + g.nz()
                        + " grid, the store's patches are " + f.nx() + "x" + f.ny() + "x" + f.nz()
                        + " (all patches of a store must have one size)");
            }
            float[] hu = image.toArray();
            int n = hu.length;
            boolean[] roi = new boolean[n];
            if (e.mask() == null) {
                Arrays.fill(roi, true);
            } else {
                LabelMap mask = VolumeIo.readLabels(e.mask());
                VolumeIo.requireSameGrid(image, mask, e.image().toString(), e.mask().toString());
                for (int i = 0; i < n; i++) {
                    roi[i] = mask.get(i) != 0;
                }
            }
            ByteBuffer row = ByteBuffer.allocate((int) f.rowBytes()).order(ByteOrder.LITTLE_ENDIAN);
            boolean rounded = false;
            for (int i = 0; i < n; i++) {
                float v = hu[i];
                if (!(v >= Short.MIN_VALUE - 0.5f && v < Short.MAX_VALUE + 0.5f)) {
                    throw new CohortStoreException(e.image(), "voxel " + i + " holds " + v
                            + " HU, outside the int16 range -32768..32767 the store keeps (not a CT in HU?)");
                }
                float r = (float) Math.rint(v);
                rounded |= r != v;
                row.putShort((int) f.huOffset(i), (short) r);
            }
            if (rounded) {
                roundedRows.incrementAndGet();
            }
            boolean[] mapRoi = roi;
            int mid = f.midSlice() * f.sliceVoxels();
            if (f.mapsMidSlice()) {
                mapRoi = new boolean[n];
                System.arraycopy(roi, mid, mapRoi, mid, f.sliceVoxels());
            }
            boolean any = false;
            for (boolean v : mapRoi) {
                any |= v;
            }
            VoxelMaps maps = any ? pool.computeMaps(image, mapRoi) : null;
            List<GlcmFeature> features = pool.settings().features();
            int base = f.mapsMidSlice() ? mid : 0;
            for (int c = 0; c < features.size(); c++) {
                double[] values = maps == null ? null : maps.values(features.get(c));
                for (int i = 0; i < f.mapVoxels(); i++) {
                    float v = values == null ? Float.NaN : (float) values[base + i];
                    if (Math.abs(v) > Half.MAX_VALUE) {
                        throw new CohortStoreException(e.image(), features.get(c).pyRadiomicsName() + " map value " + v
                                + " at voxel " + (base + i) + " exceeds the half-float range of the store (65504); "
                                + "use a coarser bin width or fewer bins");
                    }
                    row.putShort((int) f.mapOffset(c, i), Half.fromFloat(v));
                }
            }
            int roiOffset = (int) f.roiOffset();
            for (int i = 0; i < n; i++) {
                if (roi[i]) {
                    int at = roiOffset + (i >>> 3);
                    row.put(at, (byte) (row.get(at) | (1 << (i & 7))));
                }
            }
            row.position(0);
            return row;
        }
    }
}
