package io.osteo.train.dataset;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.dataset.Record;
import io.osteo.train.manifest.ManifestEntry;
import io.osteo.train.manifest.Split;
import java.util.EnumSet;
import java.util.List;

/**
 * Unlabelled vertebrae for self-supervised pretraining. Item {@code i}: data = [the multi-channel
 * stack float32 [C, D, H, W] (or [C, H, W] in a 2D slice mode)], from which the pretrainer draws
 * its views (for TP-SwAV: channels of the texture pool); labels = [] (none). Default split:
 * PRETRAIN; add TRAIN to pretrain on the training patients' labelled vertebrae as well.
 */
public final class PretrainDataset extends CohortDataset {

    private PretrainDataset(Builder builder, List<ManifestEntry> entries) {
        super(builder, entries);
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public Record get(NDManager manager, long index) {
        return new Record(new NDList(channels(manager, Math.toIntExact(index))), new NDList());
    }

    /** Builder; default splits: PRETRAIN. */
    public static final class Builder extends CohortDataset.Builder<Builder> {
        @Override
        protected Builder self() {
            return this;
        }

        public PretrainDataset build() {
            return new PretrainDataset(this, selected(EnumSet.of(Split.PRETRAIN), "pretraining dataset"));
        }
    }
}
