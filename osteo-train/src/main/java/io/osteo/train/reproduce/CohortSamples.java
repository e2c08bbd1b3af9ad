package io.osteo.train.reproduce;

import io.osteo.api.InvalidInputException;
import io.osteo.train.dataset.ChannelCache;
import io.osteo.train.finetune.LabelledVertebra;
import io.osteo.train.manifest.Manifest;
import io.osteo.train.manifest.ManifestEntry;
import io.osteo.train.manifest.Split;
import io.osteo.train.pretrain.PoolPatch;
import io.osteo.train.pretrain.PretrainingData;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Turns manifest rows and their cached channels into trainer inputs: {@link PretrainingData} for
 * the pretrainers and {@link LabelledVertebra}s for fine-tuning and evaluation, as whole 3D patches
 * or their axial mid-slices (for 2D backbones). Loads everything into memory (cohorts of the CPU
 * budgets). Immutable after construction.
 */
public final class CohortSamples {

    private final Manifest manifest;
    private final ChannelCache cache;
    private final boolean midSlice;

    /**
     * @param midSlice true for the axial mid-slice [H, W], false for the whole patch [D, H, W]
     */
    public CohortSamples(Manifest manifest, ChannelCache cache, boolean midSlice) {
        this.manifest = manifest;
        this.cache = cache;
        this.midSlice = midSlice;
    }

    /** The patch of a manifest row: every channel of the cache, 3D or mid-slice. */
    public PoolPatch patch(ManifestEntry entry) {
        ChannelCache.CachedPatch p = cache.get(entry);
        int vox = p.nx() * p.ny() * p.nz();
        float[][] channels = new float[p.channels()][];
        if (!midSlice) {
            for (int c = 0; c < channels.length; c++) {
                channels[c] = java.util.Arrays.copyOfRange(p.data(), c * vox, (c + 1) * vox);
            }
            return new PoolPatch(new int[] {p.nz(), p.ny(), p.nx()}, channels);
        }
        int slice = p.nx() * p.ny();
        int z = p.nz() / 2;
        for (int c = 0; c < channels.length; c++) {
            channels[c] = java.util.Arrays.copyOfRange(p.data(), c * vox + z * slice, c * vox + (z + 1) * slice);
        }
        return new PoolPatch(new int[] {p.ny(), p.nx()}, channels);
    }

    /** Every row of the given splits (labelled or not) as pretraining data, at most {@code limit} rows, in manifest order. */
    public PretrainingData pretraining(Set<Split> splits, int limit) {
        List<PoolPatch> patches = new ArrayList<>();
        for (ManifestEntry e : manifest.entries()) {
            if (patches.size() >= limit) break;
            if (splits.contains(e.split())) patches.add(patch(e));
        }
        if (patches.size() < 2) {
            throw new InvalidInputException("manifest " + manifest.file() + " has " + patches.size()
                    + " vertebrae in splits " + splits + " (pretraining needs at least 2)");
        }
        return new PretrainingData() {
            @Override
            public int size() {
                return patches.size();
            }

            @Override
            public PoolPatch get(int index) {
                return patches.get(index);
            }
        };
    }

    /** The labelled rows (label and BMD present) of one split. */
    public List<LabelledVertebra> labelled(Split split) {
        List<LabelledVertebra> out = new ArrayList<>();
        for (ManifestEntry e : manifest.entries()) {
            if (e.split() != split || e.label() == null || e.bmd() == null) continue;
            out.add(new LabelledVertebra(e.patientId(), e.site(), e.level(), e.device(), e.label(), e.bmd(), patch(e)));
        }
        return out;
    }
}
