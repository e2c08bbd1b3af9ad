package io.osteo.train.dataset;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.RandomAccessDataset;
import ai.djl.util.Progress;
import io.osteo.api.InvalidInputException;
import io.osteo.train.manifest.Manifest;
import io.osteo.train.manifest.ManifestEntry;
import io.osteo.train.manifest.Split;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Shared part of the cohort datasets: the selected manifest rows, their cached channels and the
 * slice mode. {@link #prepare(Progress)} computes every missing cache entry once (call it before
 * training; {@code get} computes lazily otherwise). Reading is thread-safe.
 */
public abstract class CohortDataset extends RandomAccessDataset {
    private final List<ManifestEntry> entries;
    private final ChannelCache cache;
    private final SliceMode sliceMode;
    private boolean prepared;

    protected CohortDataset(Builder<?> builder, List<ManifestEntry> entries) {
        super(builder);
        this.entries = List.copyOf(entries);
        this.cache = new ChannelCache(builder.cacheFolder, builder.channels);
        this.sliceMode = builder.sliceMode;
    }

    /** The rows of this dataset, in index order. */
    public List<ManifestEntry> entries() {
        return entries;
    }

    /** Channels per item. */
    public int channelCount() {
        return cache.channels().channelCount();
    }

    public SliceMode sliceMode() {
        return sliceMode;
    }

    @Override
    protected long availableSize() {
        return entries.size();
    }

    @Override
    public void prepare(Progress progress) {
        if (prepared) {
            return;
        }
        if (progress != null) {
            progress.reset("Computing patch channels", entries.size());
        }
        for (ManifestEntry e : entries) {
            if (!cache.isCached(e)) {
                cache.get(e);
            }
            if (progress != null) {
                progress.increment(1);
            }
        }
        if (progress != null) {
            progress.end();
        }
        prepared = true;
    }

    /** The channels of row {@code index} as a float32 array of the slice mode's shape. */
    protected NDArray channels(NDManager manager, int index) {
        ChannelCache.CachedPatch patch = cache.get(entries.get(index));
        Object[] part = sliceMode.extract(patch);
        return manager.create(FloatBuffer.wrap((float[]) part[0]), new Shape((long[]) part[1]));
    }

    /** Common options of the cohort datasets. */
    public abstract static class Builder<T extends Builder<T>> extends RandomAccessDataset.BaseBuilder<T> {
        protected Manifest manifest;
        protected Set<Split> splits;
        protected PatchChannels channels = HuWindowChannels.bone();
        protected Path cacheFolder;
        protected SliceMode sliceMode = SliceMode.VOLUME;

        /** The cohort (required). */
        public T manifest(Manifest m) {
            this.manifest = m;
            return self();
        }

        /** Which splits to use (each dataset has a default). */
        public T splits(Split... s) {
            if (s == null || s.length == 0) {
                throw new InvalidInputException("a dataset needs at least one split");
            }
            this.splits = EnumSet.copyOf(Arrays.asList(s));
            return self();
        }

        /** Channel source (default: one bone-window HU channel); plug the texture pool here. */
        public T channels(PatchChannels c) {
            if (c == null) {
                throw new InvalidInputException("patch channel source is missing");
            }
            this.channels = c;
            return self();
        }

        /** Cache folder (default: {@code channel-cache} next to the manifest). */
        public T cacheFolder(Path folder) {
            this.cacheFolder = folder;
            return self();
        }

        /** Whole patches (default) or 2D mid-slices. */
        public T sliceMode(SliceMode mode) {
            this.sliceMode = mode == null ? SliceMode.VOLUME : mode;
            return self();
        }

        protected List<ManifestEntry> selected(Set<Split> defaults, String what) {
            if (manifest == null) {
                throw new InvalidInputException(what + " needs a manifest");
            }
            if (sampler == null) {
                throw new InvalidInputException(what + " needs a sampler: call setSampling(new SeededSampler(...))");
            }
            Set<Split> use = splits == null ? defaults : splits;
            if (cacheFolder == null) {
                cacheFolder = manifest.file().toAbsolutePath().getParent().resolve("channel-cache");
            }
            List<ManifestEntry> rows = manifest.entries().stream().filter(e -> use.contains(e.split())).toList();
            if (rows.isEmpty()) {
                throw new InvalidInputException(what + ": manifest " + manifest.file() + " has no rows in splits " + use);
            }
            return rows;
        }
    }
}
