package io.osteo.train.engine;

import io.osteo.api.InvalidInputException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One batch as plain Java arrays, assembled off the training thread (by the prefetcher) before
 * any native memory is touched: named float or int arrays whose leading dimension is the batch.
 * {@link #shards(int[])} splits it by rows for multi-device training.
 *
 * <p>Immutable after construction (arrays are not copied: callers hand them over).
 */
public final class HostBatch {

    /** One named array of the batch: float or int values, C-order, shape[0] = batch rows. */
    public record Tensor(String name, long[] shape, float[] floats, int[] ints) {
        public Tensor {
            if ((floats == null) == (ints == null)) {
                throw new InvalidInputException("batch tensor " + name + " needs exactly one of float or int values");
            }
            long n = 1;
            for (long s : shape) n *= s;
            int length = floats != null ? floats.length : ints.length;
            if (shape.length == 0 || n != length) {
                throw new InvalidInputException("batch tensor " + name + " has " + length + " values for shape "
                        + Arrays.toString(shape));
            }
        }

        long rowLength() {
            long n = 1;
            for (int i = 1; i < shape.length; i++) n *= shape[i];
            return n;
        }

        Tensor rows(int from, int to) {
            int row = (int) rowLength();
            long[] s = shape.clone();
            s[0] = to - from;
            return floats != null ? new Tensor(name, s, Arrays.copyOfRange(floats, from * row, to * row), null)
                    : new Tensor(name, s, null, Arrays.copyOfRange(ints, from * row, to * row));
        }
    }

    private final int rows;
    private final List<Tensor> tensors;

    private HostBatch(int rows, List<Tensor> tensors) {
        this.rows = rows;
        this.tensors = List.copyOf(tensors);
    }

    /** A batch of {@code rows} rows; every tensor's leading dimension must equal it. */
    public static HostBatch of(int rows, Tensor... tensors) {
        for (Tensor t : tensors) {
            if (t.shape()[0] != rows) {
                throw new InvalidInputException("batch tensor " + t.name() + " has " + t.shape()[0] + " rows, expected " + rows);
            }
        }
        return new HostBatch(rows, Arrays.asList(tensors));
    }

    public static Tensor floats(String name, float[] values, long... shape) {
        return new Tensor(name, shape, values, null);
    }

    public static Tensor ints(String name, int[] values, long... shape) {
        return new Tensor(name, shape, null, values);
    }

    /** Rows (vertebrae) in the batch. */
    public int rows() {
        return rows;
    }

    public List<Tensor> tensors() {
        return tensors;
    }

    /** The tensor of that name. */
    public Tensor get(String name) {
        for (Tensor t : tensors) {
            if (t.name().equals(name)) return t;
        }
        throw new IllegalArgumentException("batch has no tensor '" + name + "'");
    }

    /** Consecutive row blocks of the given sizes (they must add up to {@link #rows()}). */
    public List<HostBatch> shards(int[] sizes) {
        int total = Arrays.stream(sizes).sum();
        if (total != rows) {
            throw new IllegalArgumentException("shard sizes " + Arrays.toString(sizes) + " do not add up to " + rows + " rows");
        }
        if (sizes.length == 1) return List.of(this);
        List<HostBatch> out = new ArrayList<>(sizes.length);
        int from = 0;
        for (int size : sizes) {
            List<Tensor> part = new ArrayList<>(tensors.size());
            for (Tensor t : tensors) part.add(t.rows(from, from + size));
            out.add(new HostBatch(size, part));
            from += size;
        }
        return out;
    }
}
