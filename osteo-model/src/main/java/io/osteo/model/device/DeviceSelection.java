package io.osteo.model.device;

import ai.djl.Device;
import ai.djl.engine.Engine;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses compute devices through DJL's engine only: {@code "auto"} (first GPU the engine sees,
 * else CPU), {@code "cpu"}, {@code "gpu"} (= gpu0), {@code "gpu1"}, {@code "gpu(1)"} or {@code
 * "cuda:1"}; lists such as {@code "gpu0,gpu1"} for data-parallel training ({@code "auto"} then
 * means every GPU, or the CPU). The device chosen is logged at INFO. Stateless and thread-safe.
 */
public final class DeviceSelection {

    private static final Logger LOG = LoggerFactory.getLogger(DeviceSelection.class);
    private static final Pattern GPU = Pattern.compile("(?:gpu|cuda)(?:\\(?\\s*(\\d+)\\s*\\)?|:(\\d+))?");

    private DeviceSelection() {}

    /** One device for inference or single-device training. */
    public static Device select(String spec) {
        return select(spec, Engine.getInstance());
    }

    /** One device, against a given engine. */
    public static Device select(String spec, Engine engine) {
        if (spec == null || spec.isBlank()) {
            throw new DeviceUnavailableException("device is missing (expected auto, cpu, gpu or gpuN); present: "
                    + present(engine));
        }
        String s = spec.trim().toLowerCase(Locale.ROOT);
        Device device;
        if (s.equals("auto")) {
            device = engine.getGpuCount() > 0 ? Device.gpu(0) : Device.cpu();
        } else if (s.equals("cpu")) {
            device = Device.cpu();
        } else {
            Matcher m = GPU.matcher(s);
            if (!m.matches()) {
                throw new DeviceUnavailableException("cannot parse device '" + spec
                        + "' (expected auto, cpu, gpu, gpuN, gpu(N) or cuda:N); present: " + present(engine));
            }
            String n = m.group(1) != null ? m.group(1) : m.group(2);
            int index = n == null ? 0 : Integer.parseInt(n);
            if (index >= engine.getGpuCount()) {
                throw new DeviceUnavailableException("device '" + spec + "' is not available to the "
                        + engine.getEngineName() + " engine; present: " + present(engine));
            }
            device = Device.gpu(index);
        }
        LOG.info("Using device {} (requested '{}', engine {} {})", device, spec, engine.getEngineName(),
                engine.getVersion());
        return device;
    }

    /** Devices for data-parallel training: a comma-separated list, or "auto" for every GPU (else CPU). */
    public static Device[] selectAll(String spec) {
        return selectAll(spec, Engine.getInstance());
    }

    /** Devices for data-parallel training, against a given engine (its GPU count decides what exists). */
    public static Device[] selectAll(String spec, Engine engine) {
        if (spec != null && spec.trim().equalsIgnoreCase("auto")) {
            Device[] devices = engine.getDevices(engine.getGpuCount() > 0 ? engine.getGpuCount() : 1);
            LOG.info("Using devices {} (requested 'auto')", Arrays.toString(devices));
            return devices;
        }
        if (spec == null || spec.isBlank()) {
            throw new DeviceUnavailableException("device list is missing; present: " + present(engine));
        }
        List<Device> devices = new ArrayList<>();
        for (String part : spec.split(",")) {
            Device d = select(part, engine);
            if (devices.contains(d)) {
                throw new DeviceUnavailableException("device list '" + spec + "' names " + d + " twice");
            }
            devices.add(d);
        }
        return devices.toArray(new Device[0]);
    }

    /** The devices the engine can use, e.g. "[cpu()]" or "[gpu(0), gpu(1), cpu()]". */
    public static String present(Engine engine) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < engine.getGpuCount(); i++) {
            names.add(Device.gpu(i).toString());
        }
        names.add(Device.cpu().toString());
        return names.toString();
    }
}
