package io.osteo.train.store;

import io.osteo.radiomics.glcm.GlcmFeature;
import io.osteo.radiomics.pool.Normalization;
import io.osteo.radiomics.pool.TexturePool;
import io.osteo.train.finetune.LabelledData;
import io.osteo.train.manifest.Manifest;
import io.osteo.train.manifest.ManifestReader;
import io.osteo.train.manifest.Split;
import io.osteo.train.pretrain.PoolPatch;
import io.osteo.train.pretrain.PretrainingData;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import io.osteo.model.backbone.BackboneConfig;
import io.osteo.model.backbone.ResNetDepth;
import io.osteo.model.moe.DecoderConfig;
import io.osteo.model.net.OsteoNetConfig;
import io.osteo.model.packaging.InputSpec;
import io.osteo.model.swav.SwavConfig;
import io.osteo.train.augment.Augmentation;
import io.osteo.train.finetune.FineTuneResult;
import io.osteo.train.finetune.MultiTaskFineTuner;
import io.osteo.train.pretrain.PretrainedBackbone;
import io.osteo.train.pretrain.TpSwavPretrainer;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.IntFunction;

/**
 * Child JVM of {@link CohortStoreBoundedMemoryTest} (run it with a small {@code -Xmx}): builds the
 * store of a manifest, then reads every vertebra through the trainer interfaces with a prefetch
 * thread, and prints one {@code RESULT key=value ...} line with counts and memory figures
 * (peak RSS from /proc/self/status VmHWM, peak heap from the memory pools).
 *
 * <p>Usage: {@code BoundedMemoryRun <manifest.csv> <store folder> [patch threads]}, or {@code
 * BoundedMemoryRun --generate <cohort folder> <scale> <patch size> <store folder> [patch threads]}
 * to write a synthetic cohort first (1.5 mm voxels below 48 voxels, 0.75 mm from 64).
 */
public final class BoundedMemoryRun {

    private BoundedMemoryRun() {}

    public static void main(String[] args) throws Exception {
        if (args[0].equals("--generate")) {
            int size = Integer.parseInt(args[3]);
            io.osteo.train.cohort.SyntheticCohortGenerator.builder().preset(io.osteo.train.cohort.CohortPreset.SMALL)
                    .seed(5).scale(Double.parseDouble(args[2])).patch(size, size >= 64 ? 0.75 : 1.5).threads(2).build()
                    .write(Path.of(args[1]));
            args = java.util.stream.Stream.concat(
                    java.util.stream.Stream.of(Path.of(args[1]).resolve("manifest.csv").toString()),
                    java.util.Arrays.stream(args, 4, args.length)).toArray(String[]::new);
        }
        Manifest manifest = ManifestReader.read(Path.of(args[0]));
        Path dir = Path.of(args[1]);
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        TexturePool pool = TexturePool.builder().features(GlcmFeature.paperFeatures()).kernelRadius(2).binWidth(25)
                .normalization(Normalization.none()).threads(1).build();
        long t0 = System.nanoTime();
        try (CohortStore store = CohortStore.builder().manifest(manifest).directory(dir).texturePool(pool)
                .threads(threads).shardBytes(16L << 20).build()) {
            long built = System.nanoTime();
            int[] shape = store.patchShape();
            PretrainingData all = store.pretraining(EnumSet.allOf(Split.class), Integer.MAX_VALUE);
            long pretrainSeen = stream(all.size(), all::get, shape, store.channelCount());
            long labelledSeen = 0;
            for (Split s : List.of(Split.TRAIN, Split.VALID, Split.TEST, Split.EXTERNAL)) {
                LabelledData d = store.labelled(s);
                labelledSeen += stream(d.size(), i -> d.get(i).patch(), shape, store.channelCount());
            }
            long read = System.nanoTime();
            CohortStore slab = store.withLayout(PatchLayout.slab(5));
            PretrainingData slabs = slab.pretraining(EnumSet.allOf(Split.class), Integer.MAX_VALUE);
            long slabSeen = stream(slabs.size(), slabs::get, slab.patchShape(), slab.channelCount());
            ChannelStatistics stats = store.statistics(EnumSet.of(Split.PRETRAIN));
            long statsDone = System.nanoTime();
            // train from the store through the engine (prefetch thread, per-step scopes): one SwAV epoch on every
            // vertebra and one fine-tuning epoch on the labelled training rows, with a tiny 3D network
            BackboneConfig tinyBackbone = BackboneConfig.builder().depth(ResNetDepth.RESNET10).spatialDims(3).baseWidth(4)
                    .stemKernel(3).stemMaxPool(false).build();
            List<Integer> patch = java.util.Arrays.stream(shape).boxed().toList();
            PretrainedBackbone pre = TpSwavPretrainer.builder().backbone(tinyBackbone)
                    .swav(SwavConfig.builder().projectionHidden(16).embeddingDim(8).prototypes(8).build()).patchSize(patch)
                    .epochs(1).warmupEpochs(0).batchSize(16).learningRate(1e-3f, 0f).augmentation(Augmentation.defaults())
                    .build().pretrain(all, dir.resolveSibling("tp-swav"));
            LabelledData train = store.labelled(Split.TRAIN);
            FineTuneResult tuned = MultiTaskFineTuner.builder()
                    .network(new OsteoNetConfig(tinyBackbone, DecoderConfig.builder().gateHidden(8).expertHidden(8).build(), patch))
                    .epochs(1).warmupEpochs(0).batchSize(8).learningRate(1e-3f, 0f).augmentation(Augmentation.defaults())
                    .inputSpec(new InputSpec(1, List.of(1.5, 1.5, 1.5), null, io.osteo.model.packaging.Normalization.boneWindow()))
                    .pretrainedBackbone(dir.resolveSibling("tp-swav")).build()
                    .fit(train, train, dir.resolveSibling("model"));
            long trained = System.nanoTime();
            for (ChannelStatistics.Channel c : stats.channels()) {
                if (!(Double.isFinite(c.mean()) && c.sd() > 0 && c.count() > 0)) {
                    throw new IllegalStateException("bad statistics " + c);
                }
            }
            long peakHeap = 0;
            for (MemoryPoolMXBean b : ManagementFactory.getMemoryPoolMXBeans()) {
                if (b.getType() == MemoryType.HEAP) {
                    peakHeap += b.getPeakUsage().getUsed();
                }
            }
            System.out.println("stats " + stats);
            System.out.printf("RESULT rows=%d pretrainSeen=%d labelledSeen=%d slabSeen=%d rowBytes=%d diskBytes=%d "
                    + "maxHeap=%d peakHeapUsed=%d vmHwmKb=%d buildMs=%d readMs=%d slabAndStatsMs=%d pretrainEpochs=%d "
                    + "finetuneEpochs=%d trainMs=%d%n", store.size(),
                    pretrainSeen, labelledSeen, slabSeen, store.rowBytes(), store.diskBytes(),
                    Runtime.getRuntime().maxMemory(), peakHeap, vmHwmKb(), (built - t0) / 1_000_000,
                    (read - built) / 1_000_000, (statsDone - read) / 1_000_000, pre.history().size(), tuned.history().size(),
                    (trained - statsDone) / 1_000_000);
        }
    }

    /** Reads every index on a prefetch thread, consumes on this one; returns how many were checked. */
    private static long stream(int n, IntFunction<PoolPatch> get, int[] shape, int channels) throws Exception {
        BlockingQueue<Object> queue = new ArrayBlockingQueue<>(4);
        Thread prefetch = new Thread(() -> {
            try {
                for (int i = 0; i < n; i++) {
                    queue.put(get.apply(i));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                queue.offer(e);
            }
        }, "prefetch");
        prefetch.setDaemon(true);
        prefetch.start();
        long seen = 0;
        for (int i = 0; i < n; i++) {
            Object o = queue.take();
            if (o instanceof RuntimeException e) {
                throw e;
            }
            PoolPatch p = (PoolPatch) o;
            if (!java.util.Arrays.equals(shape, p.shape()) || p.channels().length != channels) {
                throw new IllegalStateException("patch " + i + " has shape " + java.util.Arrays.toString(p.shape()));
            }
            for (float v : p.channels()[0]) {
                if (!(v == Math.rint(v) && v >= -32768 && v <= 32767)) {
                    throw new IllegalStateException("patch " + i + " holds HU " + v);
                }
            }
            seen++;
        }
        prefetch.join();
        return seen;
    }

    private static long vmHwmKb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (java.io.IOException e) {
            return -1;
        }
        return -1;
    }
}
