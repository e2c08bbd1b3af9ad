package io.osteo.model.screener;

import ai.djl.repository.zoo.Criteria;
import io.osteo.api.InvalidInputException;
import io.osteo.api.screening.ModelSource;
import io.osteo.model.packaging.ModelDescriptor;
import io.osteo.model.packaging.VertebraPatch;
import io.osteo.model.packaging.VertebraPrediction;

/**
 * A model loaded through DJL {@link Criteria} (a jar:// URL, a model zoo, an archive), for
 * {@code OsteoScreener.builder().model(CriteriaModelSource.of(criteria, descriptor))}. The criteria
 * must produce the OsteoScreen translator's types (as {@code OsteoModel.criteria(dir, device)}
 * does); the descriptor tells the screener how to prepare patches (spacing, normalisation, texture
 * pool) and names the model. The criteria's own device wins over the builder's {@code device}.
 *
 * @param criteria DJL criteria of an OsteoNet model
 * @param descriptor the model's descriptor (e.g. {@code DescriptorJson.fromJson})
 */
public record CriteriaModelSource(Criteria<VertebraPatch, VertebraPrediction> criteria, ModelDescriptor descriptor)
        implements ModelSource {

    public CriteriaModelSource {
        if (criteria == null || descriptor == null) {
            throw new InvalidInputException("a criteria model source needs DJL criteria and the model descriptor");
        }
    }

    public static CriteriaModelSource of(Criteria<VertebraPatch, VertebraPrediction> criteria,
            ModelDescriptor descriptor) {
        return new CriteriaModelSource(criteria, descriptor);
    }
}
