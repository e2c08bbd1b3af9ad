package io.osteo.train.pretrain;

import ai.djl.ndarray.NDManager;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import io.osteo.api.InvalidInputException;
import io.osteo.api.OsteoException;
import io.osteo.model.backbone.BackboneConfig;
import io.osteo.model.backbone.ResNet;
import io.osteo.model.swav.SwavConfig;
import io.osteo.train.checkpoint.TrainingCheckpoints;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The output of {@link TpSwavPretrainer}: a directory with {@value #PARAMS} (the backbone's
 * parameters, DJL format) and {@value #DESCRIPTOR} (this record as JSON: architecture, views and
 * training history). The fine-tuner loads the backbone from it. Immutable.
 *
 * @param backbone the backbone architecture (a fine-tuning network must use the same)
 * @param swav SwAV head settings used
 * @param viewMode how views were made
 * @param seed training seed
 * @param channels the fixed normalisation of the texture-pool channels the views were made with
 * @param history per-epoch statistics
 */
public record PretrainedBackbone(BackboneConfig backbone, SwavConfig swav, ViewMode viewMode, long seed,
        ChannelScaling channels, List<PretrainingEpoch> history) {

    public static final String PARAMS = "backbone.params";
    public static final String DESCRIPTOR = "pretraining.json";
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().create();

    public PretrainedBackbone {
        history = List.copyOf(history);
    }

    /** Whether the last epoch looked collapsed (see {@link PretrainingEpoch#collapsed()}). */
    public boolean collapsed() {
        return !history.isEmpty() && history.get(history.size() - 1).collapsed();
    }

    void write(Path directory, ResNet trained) {
        try {
            Files.createDirectories(directory);
            TrainingCheckpoints.saveParameters(directory.resolve(PARAMS), trained);
            Files.writeString(directory.resolve(DESCRIPTOR), GSON.toJson(this), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new OsteoException("cannot write pretrained backbone to " + directory + ": " + e.getMessage(), e);
        }
    }

    /** Reads the descriptor of a pretrained-backbone directory. */
    public static PretrainedBackbone read(Path directory) {
        Path file = directory.resolve(DESCRIPTOR);
        if (!Files.isRegularFile(file) || !Files.isRegularFile(directory.resolve(PARAMS))) {
            throw new InvalidInputException("pretrained backbone directory " + directory + " lacks " + DESCRIPTOR + " or " + PARAMS);
        }
        try {
            return GSON.fromJson(Files.readString(file, StandardCharsets.UTF_8), PretrainedBackbone.class);
        } catch (IOException | RuntimeException e) {
            throw new InvalidInputException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Loads the pretrained weights of {@code directory} into an initialised backbone of the same
     * architecture.
     *
     * @throws InvalidInputException if the architectures differ
     */
    public static void loadInto(Path directory, ResNet target, NDManager manager) {
        PretrainedBackbone d = read(directory);
        if (!d.backbone().equals(target.config())) {
            throw new InvalidInputException("pretrained backbone in " + directory + " is " + d.backbone()
                    + " but the network's backbone is " + target.config());
        }
        TrainingCheckpoints.loadParameters(directory.resolve(PARAMS), target, manager);
    }
}
