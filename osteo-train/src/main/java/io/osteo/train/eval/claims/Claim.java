package io.osteo.train.eval.claims;

import io.osteo.api.InvalidInputException;
import java.util.List;

/**
 * A pre-declared claim of the reproduction study: the paired difference of vertebra AUC
 * {@code minuendMethod - subtrahendMethod} on the same test vertebrae, judged by the rules of
 * {@link ClaimsAnalysis}.
 *
 * @param name claim name as it appears in the claims table ("texture-preserving views")
 * @param minuendMethod the method that should be better (as named in the {@code MethodRun}s)
 * @param subtrahendMethod the method it is compared with
 * @param requiresDeviceGates whether "supported" also needs the minuend's per-device mean gate
 *     weights to differ by device (the device-aware MoE claim)
 */
public record Claim(String name, String minuendMethod, String subtrahendMethod, boolean requiresDeviceGates) {

    public Claim {
        if (name == null || name.isBlank() || minuendMethod == null || minuendMethod.isBlank() || subtrahendMethod == null
                || subtrahendMethod.isBlank()) {
            throw new InvalidInputException("a claim needs a name and two method names, got '" + name + "': '"
                    + minuendMethod + "' minus '" + subtrahendMethod + "'");
        }
        if (minuendMethod.equals(subtrahendMethod)) {
            throw new InvalidInputException("claim '" + name + "' compares method '" + minuendMethod + "' with itself");
        }
    }

    /** A claim on the AUC difference alone. */
    public static Claim of(String name, String minuendMethod, String subtrahendMethod) {
        return new Claim(name, minuendMethod, subtrahendMethod, false);
    }

    /**
     * The four claims of the reproduction study, given the grid's row names.
     *
     * @param scratchClass no pretraining, class loss
     * @param swavClass random-crop SwAV, class loss
     * @param tpSwavClass TP-SwAV, class loss
     * @param tpSwavUnified TP-SwAV, unified loss, plain decoder without device
     * @param tpSwavUnifiedDevice TP-SwAV, unified loss, plain decoder + device embedding
     * @param tpSwavUnifiedMoe TP-SwAV, unified loss, device-gated MoE decoder
     */
    public static List<Claim> paperClaims(String scratchClass, String swavClass, String tpSwavClass, String tpSwavUnified,
            String tpSwavUnifiedDevice, String tpSwavUnifiedMoe) {
        return List.of(of("texture-preserving views", tpSwavClass, swavClass),
                of("pretraining helps", swavClass, scratchClass),
                of("multi-task", tpSwavUnified, tpSwavClass),
                new Claim("device-aware MoE", tpSwavUnifiedMoe, tpSwavUnifiedDevice, true));
    }
}
