package io.osteo.train.finetune;

import io.osteo.api.InvalidInputException;
import io.osteo.api.anatomy.VertebraLevel;
import io.osteo.api.dxa.DxaDevice;
import io.osteo.train.pretrain.PoolPatch;

/**
 * A labelled vertebra for fine-tuning and evaluation. The network sees channel 0 of the patch (the
 * normalised CT); texture channels are used by pretraining only.
 *
 * @param patientId patient identifier
 * @param site acquisition site
 * @param level vertebra level (position target)
 * @param device DXA device that measured the label (the MoE gate's device input)
 * @param positive osteoporosis by that device's T-score (<= -2.5)
 * @param bmdGcm2 areal BMD in g/cm^2 on the device's scale (regression target), finite and > 0
 * @param patch the vertebra's patch (texture pool)
 */
public record LabelledVertebra(String patientId, String site, VertebraLevel level, DxaDevice device, boolean positive,
        double bmdGcm2, PoolPatch patch) {

    public LabelledVertebra {
        if (patientId == null || patientId.isBlank() || site == null || site.isBlank() || level == null || device == null
                || patch == null) {
            throw new InvalidInputException("labelled vertebra of patient '" + patientId + "' lacks a site, level, device or patch");
        }
        if (!(bmdGcm2 > 0 && bmdGcm2 < 3)) {
            throw new InvalidInputException("BMD " + bmdGcm2 + " g/cm^2 of patient " + patientId + " " + level
                    + " is outside the physical range (0, 3)");
        }
    }
}
