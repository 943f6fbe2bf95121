package org.nnunet.network;

import ai.djl.Device;
import ai.djl.engine.Engine;

/**
 * The device networks run on, from a configuration value, so the same code uses the CPU here and CUDA where the
 * GPU flavour of libtorch is installed: {@code cpu}, {@code gpu} / {@code gpu0} / {@code gpu1}..., or {@code auto}
 * (first GPU if the engine sees one, else CPU).
 */
public final class NetworkDevice {

    private NetworkDevice() {
    }

    public static Device fromConfig(String value) {
        String v = value == null ? "auto" : value.trim().toLowerCase();
        if (v.equals("auto")) {
            return Engine.getInstance().getGpuCount() > 0 ? Device.gpu() : Device.cpu();
        }
        if (v.equals("cpu") || v.equals("gpu") || v.matches("gpu\\d+") || v.matches("cuda(:\\d+)?")) {
            return Device.fromName(v.replace("cuda:", "gpu").replace("cuda", "gpu"));
        }
        throw new IllegalArgumentException("unknown device '" + value + "': use cpu, gpu, gpuN or auto");
    }
}
