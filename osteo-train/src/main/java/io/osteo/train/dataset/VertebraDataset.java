package io.osteo.train.dataset;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.Record;
import io.osteo.api.InvalidInputException;
import io.osteo.train.manifest.ManifestEntry;
import io.osteo.train.manifest.Split;
import java.util.EnumSet;
import java.util.List;

/**
 * Labelled vertebrae for multi-task fine-tuning and evaluation.
 *
 * <p>Item {@code i}: data = [channels float32 [C, D, H, W] (or [C, H, W] in a 2D slice mode),
 * DXA device id int32 scalar ({@code DxaDevice.embeddingIndex()})]; labels = [osteoporosis label
 * int32 scalar (0/1), BMD float32 [1] in g/cm^2 on the device's scale (NaN when the manifest has
 * none: mask it in the loss), position class int32 scalar (0..17 = T1..L6)]. Batches stack these,
 * e.g. [B, C, D, H, W], [B], [B], [B, 1], [B].
 *
 * <pre>{@code
 * VertebraDataset train = VertebraDataset.builder().manifest(ManifestReader.read(csv))
 *         .splits(Split.TRAIN).setSampling(new SeededSampler(32, 7, true, true)).build();
 * train.prepare();
 * }</pre>
 */
public final class VertebraDataset extends CohortDataset {

    private VertebraDataset(Builder builder, List<ManifestEntry> entries) {
        super(builder, entries);
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public Record get(NDManager manager, long index) {
        ManifestEntry e = entries().get(Math.toIntExact(index));
        NDList data = new NDList(channels(manager, (int) index), manager.create(e.device().embeddingIndex()));
        float bmd = e.bmd() == null ? Float.NaN : e.bmd().floatValue();
        NDList labels = new NDList(manager.create(e.label() ? 1 : 0), manager.create(new float[] {bmd}, new Shape(1)),
                manager.create(e.level().classIndex()));
        return new Record(data, labels);
    }

    /** Builder; default splits: TRAIN. */
    public static final class Builder extends CohortDataset.Builder<Builder> {
        @Override
        protected Builder self() {
            return this;
        }

        public VertebraDataset build() {
            List<ManifestEntry> rows = selected(EnumSet.of(Split.TRAIN), "vertebra dataset");
            for (ManifestEntry e : rows) {
                if (!e.isLabelled()) {
                    throw new InvalidInputException("vertebra dataset: row " + e.patientId() + " " + e.level()
                            + " (split " + e.split().manifestName() + ") has no label; use PretrainDataset for unlabelled rows");
                }
            }
            return new VertebraDataset(this, rows);
        }
    }
}
