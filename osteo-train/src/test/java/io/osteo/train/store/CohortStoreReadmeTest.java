package io.osteo.train.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.osteo.radiomics.glcm.GlcmFeature;
import io.osteo.radiomics.pool.Normalization;
import io.osteo.radiomics.pool.TexturePool;
import io.osteo.train.finetune.LabelledData;
import io.osteo.train.manifest.ManifestReader;
import io.osteo.train.manifest.Split;
import io.osteo.train.pretrain.PoolPatch;
import io.osteo.train.pretrain.PretrainingData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's "Data cache" snippet, compiled and run on a small cohort. */
class CohortStoreReadmeTest {

    @TempDir
    Path tmp;

    @Test
    void readmeSnippetRuns() {
        Path cohortDir = tmp.resolve("cohort");
        StoreCohort.write(cohortDir, 5, 16, 16, 8, 3);
        Path csv = cohortDir.resolve("manifest.csv");
        int labelled;
        float fill;
        // --- README: Data cache ---
        TexturePool pool = TexturePool.builder().features(GlcmFeature.paperFeatures()).kernelRadius(2).binWidth(25)
                .normalization(Normalization.none()).build();                  // raw maps
        try (CohortStore store = CohortStore.builder().manifest(ManifestReader.read(csv))
                .directory(cohortDir.resolve("store")).texturePool(pool).threads(2).build()) {
            ChannelStatistics stats = store.statistics(Split.TRAIN);            // store these with the model
            PretrainingData unlabelled = store.pretraining(Set.of(Split.PRETRAIN), Integer.MAX_VALUE);
            LabelledData train = store.labelled(Split.TRAIN);
            PoolPatch input = stats.normalise(train.get(0).patch(), 1, 0f);    // HU kept, maps z-scored
            // --- end ---
            labelled = train.size();
            assertEquals(2, unlabelled.size());
            fill = input.channels()[1][0];
        }
        CohortStore.clean(cohortDir.resolve("store"));
        assertEquals(4, labelled);
        assertTrue(Float.isFinite(fill));
        assertFalse(Files.exists(cohortDir.resolve("store")));
    }
}
