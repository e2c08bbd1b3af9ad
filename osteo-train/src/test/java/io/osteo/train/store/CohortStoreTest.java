package io.osteo.train.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.osteo.api.InvalidInputException;
import io.osteo.api.io.VolumeIo;
import io.osteo.api.progress.ProgressListener;
import io.osteo.api.volume.ImageGeometry;
import io.osteo.api.volume.LabelMap;
import io.osteo.api.volume.Volume;
import io.osteo.radiomics.glcm.GlcmFeature;
import io.osteo.radiomics.pool.Normalization;
import io.osteo.radiomics.pool.TexturePool;
import io.osteo.radiomics.voxel.VoxelMaps;
import io.osteo.train.finetune.LabelledData;
import io.osteo.train.finetune.LabelledVertebra;
import io.osteo.train.manifest.Manifest;
import io.osteo.train.manifest.ManifestEntry;
import io.osteo.train.manifest.Split;
import io.osteo.train.pretrain.PoolPatch;
import io.osteo.train.pretrain.PretrainingData;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CohortStoreTest {
    private static final int NX = 12;
    private static final int NY = 10;
    private static final int NZ = 8;
    /** Bytes per row: HU 2 x 960, maps 4 x 2 x 960, ROI bits 120. */
    private static final int ROW = 9720;
    /** Room for 3 rows per shard: 20 rows make 7 shards. */
    private static final long SHARD_BYTES = 4096 + 3 * ROW;

    @TempDir
    static Path tmp;

    static Manifest manifest;

    @BeforeAll
    static void cohort() {
        manifest = StoreCohort.write(tmp.resolve("cohort"), 10, NX, NY, NZ, 11);
    }

    private static TexturePool pool(int radius) {
        return TexturePool.builder().features(GlcmFeature.paperFeatures()).kernelRadius(radius).binWidth(25)
                .normalization(Normalization.none()).build();
    }

    private static CohortStore.Builder builder(Path dir) {
        return CohortStore.builder().manifest(manifest).directory(dir).texturePool(pool(1)).shardBytes(SHARD_BYTES);
    }

    private static boolean[] roiOf(ManifestEntry e, int n) {
        boolean[] roi = new boolean[n];
        if (e.mask() == null) {
            java.util.Arrays.fill(roi, true);
        } else {
            LabelMap m = VolumeIo.readLabels(e.mask());
            for (int i = 0; i < n; i++) roi[i] = m.get(i) != 0;
        }
        return roi;
    }

    private static void assertHalfClose(double expected, float actual, String what) {
        if (Double.isNaN(expected)) {
            assertTrue(Float.isNaN(actual), what + ": expected no value, got " + actual);
            return;
        }
        double bound = Math.max(Math.abs(expected) * 0x1p-11 * 1.0001, 0x1p-24);
        assertTrue(Math.abs(actual - expected) <= bound, what + ": " + actual + " vs " + expected);
    }

    @Test
    void huIsBitExactMapsWithinHalfPrecisionRoiAsTheMask() {
        try (CohortStore store = builder(tmp.resolve("exact")).threads(2).build()) {
            assertEquals(manifest.size(), store.size());
            assertArrayEquals(new int[] {NZ, NY, NX}, store.patchShape());
            assertEquals(List.of("hu", "Autocorrelation", "JointAverage", "Contrast", "DifferenceAverage"),
                    store.channelNames());
            TexturePool pool = pool(1);
            boolean sawExtremes = false;
            for (int row = 0; row < store.size(); row++) {
                ManifestEntry e = store.entry(row);
                Volume image = VolumeIo.readVolume(e.image());
                float[] hu = image.toArray();
                PoolPatch p = store.patch(row);
                assertEquals(5, p.channels().length);
                assertArrayEquals(hu, p.channels()[0], 0f, "HU of row " + row);
                sawExtremes |= p.channels()[0][0] == -32768f && p.channels()[0][1] == 32767f;
                boolean[] roi = roiOf(e, hu.length);
                assertArrayEquals(roi, store.roi(row));
                VoxelMaps maps = pool.computeMaps(image, roi);
                List<GlcmFeature> features = GlcmFeature.paperFeatures();
                int finite = 0;
                for (int c = 0; c < features.size(); c++) {
                    double[] ref = maps.values(features.get(c));
                    for (int i = 0; i < ref.length; i++) {
                        assertHalfClose((float) ref[i], p.channels()[1 + c][i], "row " + row + " " + features.get(c) + " voxel " + i);
                        finite += Double.isNaN(ref[i]) ? 0 : 1;
                    }
                }
                assertTrue(finite > 0);
            }
            assertTrue(sawExtremes, "the int16 extremes survive");
            assertEquals(ROW, store.rowBytes());
            assertEquals(store.size() * store.rowBytes() + 7 * 4096L, store.diskBytes() - indexBytes(store),
                    "7 shards of one header page each plus the rows");
        }
    }

    private static long indexBytes(CohortStore store) {
        try {
            return Files.size(store.directory().resolve("store.json"));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void slicesAndSlabsAreTheVolumesSlices() {
        try (CohortStore volume = builder(tmp.resolve("layouts")).build()) {
            CohortStore mid = volume.withLayout(PatchLayout.midSlice());
            CohortStore slab = volume.withLayout(PatchLayout.slab(3));
            assertArrayEquals(new int[] {NY, NX}, mid.patchShape());
            assertEquals(List.of("hu z-1", "hu z", "hu z+1", "Autocorrelation", "JointAverage", "Contrast",
                    "DifferenceAverage"), slab.channelNames());
            int slice = NX * NY;
            int z = NZ / 2;
            for (int row : new int[] {0, 7, 19}) {
                PoolPatch v = volume.patch(row);
                PoolPatch m = mid.patch(row);
                PoolPatch s = slab.patch(row);
                assertArrayEquals(new int[] {NY, NX}, m.shape());
                assertEquals(7, s.channels().length);
                for (int c = 0; c < 5; c++) {
                    float[] expected = java.util.Arrays.copyOfRange(v.channels()[c], z * slice, (z + 1) * slice);
                    assertArrayEquals(expected, m.channels()[c], 0f);
                    assertArrayEquals(expected, s.channels()[c == 0 ? 1 : 2 + c], 0f);
                }
                for (int j = 0; j < 3; j++) {
                    assertArrayEquals(java.util.Arrays.copyOfRange(v.channels()[0], (z - 1 + j) * slice, (z + j) * slice),
                            s.channels()[j], 0f);
                }
            }
            assertThrows(InvalidInputException.class, () -> volume.withLayout(PatchLayout.slab(NZ + 1)));
            assertThrows(InvalidInputException.class, () -> PatchLayout.slab(2));
        }
    }

    @Test
    void mapsOnTheMidSliceOnly() {
        try (CohortStore store = builder(tmp.resolve("midmaps")).mapsOnAxialMidSliceOnly(true)
                .layout(PatchLayout.midSlice()).build();
                CohortStore full = builder(tmp.resolve("midmaps-full")).build()) {
            assertTrue(store.rowBytes() < full.rowBytes() / 2, store.rowBytes() + " vs " + full.rowBytes());
            int slice = NX * NY;
            int z = NZ / 2;
            TexturePool pool = pool(1);
            for (int row : new int[] {1, 12}) {
                ManifestEntry e = store.entry(row);
                Volume image = VolumeIo.readVolume(e.image());
                boolean[] roi = roiOf(e, image.geometry().voxelCount());
                boolean[] midRoi = new boolean[roi.length];
                System.arraycopy(roi, z * slice, midRoi, z * slice, slice);
                VoxelMaps maps = pool.computeMaps(image, midRoi);
                PoolPatch p = store.patch(row);
                for (int c = 0; c < 4; c++) {
                    double[] ref = maps.values(GlcmFeature.paperFeatures().get(c));
                    for (int i = 0; i < slice; i++) {
                        assertHalfClose((float) ref[z * slice + i], p.channels()[1 + c][i], "row " + row + " map " + c);
                    }
                }
                PoolPatch v = store.withLayout(PatchLayout.volume()).patch(row);
                for (int i = 0; i < slice; i++) {
                    assertTrue(Float.isNaN(v.channels()[1][i]), "no map values off the mid-slice");
                }
            }
        }
    }

    @Test
    void viewsFollowTheManifestAndStatisticsMatchABruteForcePass() {
        try (CohortStore store = builder(tmp.resolve("views")).build()) {
            PretrainingData pre = store.pretraining(Set.of(Split.PRETRAIN), Integer.MAX_VALUE);
            assertEquals(manifest.split(Split.PRETRAIN).size(), pre.size());
            assertEquals(3, store.pretraining(EnumSet.of(Split.PRETRAIN, Split.TRAIN), 3).size());
            LabelledData train = store.labelled(Split.TRAIN);
            List<ManifestEntry> trainRows = manifest.split(Split.TRAIN);
            assertEquals(trainRows.size(), train.size());
            for (int i = 0; i < train.size(); i++) {
                LabelledVertebra v = train.get(i);
                ManifestEntry e = trainRows.get(i);
                assertEquals(e.patientId(), v.patientId());
                assertEquals(e.level(), v.level());
                assertEquals(e.bmd(), v.bmdGcm2(), 0);
                assertEquals(e.label(), v.positive());
                assertArrayEquals(VolumeIo.readVolume(e.image()).toArray(), v.patch().channels()[0], 0f);
            }
            assertThrows(InvalidInputException.class, () -> store.pretraining(Set.of(Split.EXTERNAL), 10));

            for (PatchLayout layout : List.of(PatchLayout.volume(), PatchLayout.slab(3))) {
                CohortStore view = store.withLayout(layout);
                ChannelStatistics stats = view.statistics(Set.of(Split.TRAIN, Split.VALID));
                int channels = view.channelCount();
                double[] sum = new double[channels];
                long[] n = new long[channels];
                List<float[][]> kept = new ArrayList<>();
                List<boolean[][]> rois = new ArrayList<>();
                int rows = 0;
                for (int row = 0; row < view.size(); row++) {
                    Split sp = view.entry(row).split();
                    if (sp != Split.TRAIN && sp != Split.VALID) continue;
                    rows++;
                    PoolPatch p = view.patch(row);
                    boolean[] full = roiOf(view.entry(row), NX * NY * NZ);
                    boolean[][] r = new boolean[channels][];
                    for (int c = 0; c < channels; c++) {
                        int z = layout.kind() == PatchLayout.Kind.VOLUME ? -1 : c < 3 ? NZ / 2 - 1 + c : NZ / 2;
                        r[c] = z < 0 ? full : java.util.Arrays.copyOfRange(full, z * NX * NY, (z + 1) * NX * NY);
                        for (int i = 0; i < r[c].length; i++) {
                            if (r[c][i] && !Float.isNaN(p.channels()[c][i])) {
                                sum[c] += p.channels()[c][i];
                                n[c]++;
                            }
                        }
                    }
                    kept.add(p.channels());
                    rois.add(r);
                }
                assertEquals(rows, stats.vertebrae());
                for (int c = 0; c < channels; c++) {
                    double mean = sum[c] / n[c];
                    double ss = 0;
                    for (int k = 0; k < kept.size(); k++) {
                        float[] v = kept.get(k)[c];
                        for (int i = 0; i < v.length; i++) {
                            if (rois.get(k)[c][i] && !Float.isNaN(v[i])) ss += (v[i] - mean) * (v[i] - mean);
                        }
                    }
                    ChannelStatistics.Channel ch = stats.channels().get(c);
                    assertEquals(n[c], ch.count(), ch.name());
                    assertEquals(mean, ch.mean(), 1e-9 * Math.max(1, Math.abs(mean)), ch.name());
                    assertEquals(Math.sqrt(ss / n[c]), ch.sd(), 1e-9 * Math.max(1, Math.sqrt(ss / n[c])), ch.name());
                }
                // normalised with its own statistics: mean 0, SD 1 inside the ROI, no NaN left
                double s0 = 0;
                double s2 = 0;
                long cnt = 0;
                for (int k = 0; k < kept.size(); k++) {
                    PoolPatch z = stats.normalise(new PoolPatch(view.patchShape(), kept.get(k)), 1, -7f);
                    assertArrayEquals(kept.get(k)[0], z.channels()[0], 0f, "channel 0 kept");
                    float[] v = z.channels()[channels - 1];
                    for (int i = 0; i < v.length; i++) {
                        assertTrue(Float.isFinite(v[i]));
                        if (rois.get(k)[channels - 1][i] && !Float.isNaN(kept.get(k)[channels - 1][i])) {
                            s0 += v[i];
                            s2 += (double) v[i] * v[i];
                            cnt++;
                        }
                    }
                }
                assertEquals(0, s0 / cnt, 1e-4);
                assertEquals(1, s2 / cnt, 1e-3);
            }
        }
    }

    @Test
    void sameManifestAndSettingsGiveTheSameBytesWhateverTheThreads() throws IOException {
        Path a = tmp.resolve("bytes-a");
        Path b = tmp.resolve("bytes-b");
        builder(a).threads(1).build().close();
        builder(b).threads(2).build().close();
        List<Path> shards = shards(a);
        assertEquals(7, shards.size());
        for (Path s : shards) {
            assertArrayEquals(Files.readAllBytes(s), Files.readAllBytes(b.resolve(s.getFileName())), s.toString());
        }
    }

    private static List<Path> shards(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".oss")).sorted().toList();
        }
    }

    /** Counts the vertebrae a build computes. */
    private static final class Counting implements ProgressListener {
        final AtomicLong started = new AtomicLong(-1);
        final AtomicLong done = new AtomicLong();

        @Override
        public void started(String task, long total) {
            started.set(total);
        }

        @Override
        public void progressed(String task, long d, long total, String message) {
            done.incrementAndGet();
        }
    }

    @Test
    void aCompleteStoreIsReusedAPartialOneCompletedNeverUsed() throws IOException {
        Path dir = tmp.resolve("resume");
        builder(dir).build().close();
        List<byte[]> original = new ArrayList<>();
        for (Path s : shards(dir)) original.add(Files.readAllBytes(s));

        Counting again = new Counting();
        builder(dir).progress(again).build().close();
        assertEquals(-1, again.started.get(), "a complete, current store is reused without work");

        // an interrupted build: the index names shard 0 only, the rest is gone, a temporary file is left
        StoreIndex index = StoreIndex.read(dir);
        new StoreIndex(index.format(), index.key(), index.nx(), index.ny(), index.nz(), index.maps(),
                index.mapsMidSlice(), index.rowBytes(), index.rowsPerShard(), index.rows(), index.sourcesHash(), false,
                index.shards().subList(0, 1)).write(dir);
        for (Path s : shards(dir)) {
            if (!s.getFileName().toString().equals("shard-00000.oss")) Files.delete(s);
        }
        Files.write(dir.resolve("shard-00001.oss.tmp"), new byte[100]);
        CohortStoreException partial = assertThrows(CohortStoreException.class, () -> builder(dir).open());
        assertTrue(partial.getMessage().contains("partial"), partial.getMessage());

        Counting resume = new Counting();
        try (CohortStore store = builder(dir).progress(resume).build()) {
            assertEquals(manifest.size() - 3, resume.started.get(), "only the missing shards are computed");
            assertEquals(manifest.size() - 3, resume.done.get());
            store.verify();
        }
        List<Path> after = shards(dir);
        assertEquals(original.size(), after.size());
        for (int i = 0; i < after.size(); i++) assertArrayEquals(original.get(i), Files.readAllBytes(after.get(i)));
        assertFalse(Files.exists(dir.resolve("shard-00001.oss.tmp")));
    }

    @Test
    void corruptAndTruncatedShardsAreTypedErrorsNamingTheFile() throws IOException {
        Path dir = tmp.resolve("corrupt");
        builder(dir).build().close();
        Path shard = dir.resolve("shard-00002.oss");
        byte[] good = Files.readAllBytes(shard);
        try (RandomAccessFile f = new RandomAccessFile(shard.toFile(), "rw")) {
            long at = 4096 + ROW + 100; // second row of the shard (manifest row 7)
            f.seek(at);
            int b = f.read();
            f.seek(at);
            f.write(b ^ 0x10);
        }
        try (CohortStore store = builder(dir).open()) {
            store.patch(6); // other rows still read
            CohortStoreException e = assertThrows(CohortStoreException.class, () -> store.patch(7));
            assertEquals(shard, e.file());
            assertTrue(e.getMessage().contains("shard-00002.oss") && e.getMessage().contains("checksum"), e.getMessage());
            assertThrows(CohortStoreException.class, store::verify);
        }
        Files.write(shard, java.util.Arrays.copyOf(good, good.length - 1000)); // truncated
        CohortStoreException t = assertThrows(CohortStoreException.class, () -> builder(dir).open());
        assertEquals(shard, t.file());
        assertTrue(t.getMessage().contains("truncated"), t.getMessage());
        Counting rebuild = new Counting();
        try (CohortStore store = builder(dir).progress(rebuild).build()) {
            assertEquals(3, rebuild.started.get(), "only the damaged shard is rebuilt");
            store.verify();
        }
        assertArrayEquals(good, Files.readAllBytes(shard));
    }

    @Test
    void staleSettingsOrSourcesAreRefusedByOpenAndRebuiltByBuild() throws IOException {
        Path dir = tmp.resolve("stale");
        float[] r1;
        try (CohortStore store = builder(dir).build()) {
            r1 = store.patch(4).channels()[3];
        }
        CohortStoreException e = assertThrows(CohortStoreException.class,
                () -> builder(dir).texturePool(pool(2)).open());
        assertTrue(e.getMessage().contains("other texture-pool settings"), e.getMessage());
        try (CohortStore store = builder(dir).texturePool(pool(2)).build()) {
            assertEquals(2, store.settings().kernelRadius());
            assertFalse(java.util.Arrays.equals(r1, store.patch(4).channels()[3]), "maps recomputed with R = 2");
        }
        try (CohortStore store = CohortStore.open(dir, manifest, PatchLayout.volume())) {
            assertEquals(2, store.settings().kernelRadius(), "open without settings takes the stored ones");
        }
        // a changed image (new modification time) makes the store stale; build() redoes its shard only
        Path image = manifest.entries().get(10).image();
        Files.setLastModifiedTime(image, FileTime.fromMillis(Files.getLastModifiedTime(image).toMillis() + 5000));
        CohortStoreException s = assertThrows(CohortStoreException.class,
                () -> builder(dir).texturePool(pool(2)).open());
        assertTrue(s.getMessage().contains("stale"), s.getMessage());
        Counting c = new Counting();
        builder(dir).texturePool(pool(2)).progress(c).build().close();
        assertEquals(3, c.started.get());
        assertThrows(InvalidInputException.class, () -> builder(tmp.resolve("z")).texturePool(TexturePool.builder()
                .normalization(Normalization.zScoreRoi()).build()).build());
    }

    @Test
    void outOfRangeHuAndOtherGridsAreRefusedNamingTheImage() throws IOException {
        Files.createDirectories(tmp.resolve("bad"));
        ImageGeometry g = ImageGeometry.of(NX, NY, NZ, 1, 1, 1);
        float[] hu = new float[g.voxelCount()];
        hu[5] = 40000f;
        Path bad = tmp.resolve("bad").resolve("big.nii.gz");
        VolumeIo.writeNifti(Volume.wrap(g, hu), bad);
        List<ManifestEntry> rows = new ArrayList<>(manifest.entries().subList(0, 2));
        ManifestEntry e = rows.get(1);
        rows.set(1, new ManifestEntry(e.patientId(), e.site(), e.split(), e.device(), e.level(), bad, null, e.bmd(),
                e.tScore(), e.label(), e.age(), e.sex()));
        Path dir = tmp.resolve("bad-store");
        CohortStoreException x = assertThrows(CohortStoreException.class, () -> CohortStore.builder()
                .manifest(new Manifest(manifest.file(), rows)).directory(dir).texturePool(pool(1)).build());
        assertEquals(bad, x.file());
        assertTrue(x.getMessage().contains("40000") && x.getMessage().contains("int16"), x.getMessage());
        assertThrows(CohortStoreException.class, () -> CohortStore.open(dir, new Manifest(manifest.file(), rows),
                PatchLayout.volume()), "no usable store is left behind");

        Path small = tmp.resolve("bad").resolve("small.nii.gz");
        VolumeIo.writeNiftiInt16(Volume.wrap(ImageGeometry.of(NX, NY, NZ - 1, 1, 1, 1), new float[NX * NY * (NZ - 1)]), small);
        rows.set(1, new ManifestEntry(e.patientId(), e.site(), e.split(), e.device(), e.level(), small, null, e.bmd(),
                e.tScore(), e.label(), e.age(), e.sex()));
        CohortStoreException grid = assertThrows(CohortStoreException.class, () -> CohortStore.builder()
                .manifest(new Manifest(manifest.file(), rows)).directory(tmp.resolve("grid-store")).texturePool(pool(1))
                .build());
        assertEquals(small, grid.file());
    }

    @Test
    void concurrentReadersAndAnInterruptedOneDoNotDisturbEachOther() throws Exception {
        try (CohortStore store = builder(tmp.resolve("threads")).build()) {
            List<float[][]> expected = new ArrayList<>();
            for (int row = 0; row < store.size(); row++) expected.add(store.patch(row).channels());
            ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
            List<Thread> readers = new ArrayList<>();
            for (int t = 0; t < 3; t++) {
                int offset = t;
                readers.add(new Thread(() -> {
                    try {
                        for (int k = 0; k < 200; k++) {
                            int row = (k * 7 + offset) % store.size();
                            float[][] got = store.patch(row).channels();
                            for (int c = 0; c < got.length; c++) assertArrayEquals(expected.get(row)[c], got[c], 0f);
                        }
                    } catch (Throwable e) {
                        failures.add(e);
                    }
                }));
            }
            Thread victim = new Thread(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    try {
                        store.patch(3);
                    } catch (RuntimeException e) {
                        return; // the interrupted read fails; the store must stay usable for the others
                    }
                }
            });
            victim.start();
            readers.forEach(Thread::start);
            Thread.sleep(20);
            victim.interrupt();
            victim.join();
            for (Thread t : readers) t.join();
            assertTrue(failures.isEmpty(), () -> "reader failed: " + failures.peek());
            assertArrayEquals(expected.get(5)[2], store.patch(5).channels()[2], 0f);
        }
    }

    @Test
    void aCohortFolderCopiedWithItsTimesKeepsItsStore() throws IOException {
        Path dir = tmp.resolve("moved-store");
        float[] before;
        try (CohortStore store = builder(dir).build()) {
            before = store.patch(9).channels()[2];
        }
        Path from = tmp.resolve("cohort");
        Path to = tmp.resolve("cohort-copy");
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : walk.toList()) {
                Files.copy(p, to.resolve(from.relativize(p).toString()), java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
            }
        }
        Manifest copied = io.osteo.train.manifest.ManifestReader.read(to.resolve("manifest.csv"));
        try (CohortStore store = CohortStore.open(dir, copied, PatchLayout.volume())) {
            assertTrue(store.entry(9).image().startsWith(to));
            assertArrayEquals(before, store.patch(9).channels()[2], 0f);
        }
    }

    @Test
    void cleanRemovesTheStoreOnly() throws IOException {
        Path dir = tmp.resolve("clean");
        long bytes;
        try (CohortStore store = builder(dir).build()) {
            bytes = store.diskBytes();
        }
        Files.writeString(dir.resolve("notes.txt"), "keep me");
        assertEquals(bytes, CohortStore.clean(dir));
        assertEquals(List.of(dir.resolve("notes.txt")), Files.list(dir).toList());
        Files.delete(dir.resolve("notes.txt"));
        builder(dir).build().close();
        assertNotEquals(0, CohortStore.clean(dir));
        assertFalse(Files.exists(dir));
    }
}
