package io.osteo.radiomics.roi;

import io.osteo.api.screening.SkippedVertebra;
import java.util.List;

/**
 * The vertebrae of one study: those ready for screening (cranial to caudal), those skipped with
 * reasons, and notes about the input (ignored labels, dropped mask fragments, cropped patches).
 */
public record RoiExtraction(List<VertebraRoi> rois, List<SkippedVertebra> skipped, List<String> notes) {
    public RoiExtraction {
        rois = List.copyOf(rois);
        skipped = List.copyOf(skipped);
        notes = List.copyOf(notes);
    }
}
