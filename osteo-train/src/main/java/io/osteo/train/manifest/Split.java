package io.osteo.train.manifest;

import io.osteo.api.InvalidInputException;
import java.util.Locale;

/**
 * Role of a vertebra in an experiment. {@link #PRETRAIN} rows are unlabelled (self-supervised
 * pretraining only); {@link #EXTERNAL} rows come from a site never seen in training.
 */
public enum Split {
    PRETRAIN,
    TRAIN,
    VALID,
    TEST,
    EXTERNAL;

    /** The lower-case name written in manifests ("train"). */
    public String manifestName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** True for the splits whose rows must carry a DXA label. */
    public boolean isLabelled() {
        return this != PRETRAIN;
    }

    /** Parses "pretrain", "train", "valid" (or "validation", "val"), "test", "external". */
    public static Split parse(String text) {
        String key = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        return switch (key) {
            case "pretrain", "unlabelled", "unlabeled" -> PRETRAIN;
            case "train" -> TRAIN;
            case "valid", "validation", "val" -> VALID;
            case "test" -> TEST;
            case "external" -> EXTERNAL;
            default -> throw new InvalidInputException(
                    "unknown split '" + text + "' (expected pretrain, train, valid, test or external)");
        };
    }
}
