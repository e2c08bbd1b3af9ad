package io.osteo.train.pipeline;

import io.osteo.api.InvalidInputException;
import io.osteo.train.finetune.LabelledData;
import io.osteo.train.manifest.Manifest;
import io.osteo.train.manifest.ManifestEntry;
import io.osteo.train.manifest.Split;
import io.osteo.train.pretrain.PretrainingData;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A cohort ready for training: its manifest, the patch shape the networks are built for, the
 * labelled splits and the unlabelled pretraining pool, with patches in physical units (channel 0
 * in HU, texture maps raw; NaN where a map has no value) read from the pipeline's cache. The views
 * may be read from several threads; close it when training is done.
 *
 * @param manifest the cohort's manifest
 * @param patchShape patch shape as the trainers expect it ([D, H, W] or [H, W])
 * @param spacingMm voxel spacing of the patches in the same axis order (mm)
 * @param train labelled training vertebrae
 * @param validation labelled validation vertebrae (model selection, threshold)
 * @param test labelled internal-test and external vertebrae
 * @param pretrainingPool the unlabelled pool by limit
 * @param resources what the views read from (closed by {@link #close()})
 */
public record CohortData(Manifest manifest, List<Integer> patchShape, List<Double> spacingMm, LabelledData train,
        LabelledData validation, LabelledData test, Function<Integer, PretrainingData> pretrainingPool,
        AutoCloseable resources) implements AutoCloseable {

    public CohortData {
        patchShape = List.copyOf(patchShape);
        spacingMm = List.copyOf(spacingMm);
        if (train.size() < 2 || validation.size() < 2) {
            throw new InvalidInputException("cohort " + manifest.file() + " has " + train.size() + " labelled train and "
                    + validation.size() + " valid vertebrae; training needs at least 2 of each");
        }
    }

    /** At most {@code limit} vertebrae of the pretraining pool. */
    public PretrainingData pretraining(int limit) {
        return pretrainingPool.apply(limit);
    }

    @Override
    public void close() {
        try {
            resources.close();
        } catch (Exception e) {
            throw new io.osteo.api.OsteoException("cannot close the cohort data of " + manifest.file() + ": " + e.getMessage(), e);
        }
    }

    /** Sites with labelled vertebrae in a split (e.g. TEST for the internal test scope, EXTERNAL for the unseen site). */
    public Set<String> sites(Split split) {
        return manifest.entries().stream().filter(e -> e.split() == split && e.label() != null).map(ManifestEntry::site)
                .collect(Collectors.toCollection(TreeSet::new));
    }
}
