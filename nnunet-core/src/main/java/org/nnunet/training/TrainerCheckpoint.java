package org.nnunet.training;

import ai.djl.ndarray.NDManager;
import ai.djl.MalformedModelException;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import org.nnunet.network.GenericUNet;

/**
 * A training checkpoint as nnU-Net names them ({@code model_latest}, {@code model_best},
 * {@code model_final_checkpoint}) in the fold folder: {@code NAME.model} holds the network weights (DJL parameter
 * format), {@code NAME.model.optimizer} the momentum buffers, {@code NAME.model.json} the epoch, the training curves
 * and the CRC32 of both binary files. Each file is written under a temporary name and renamed; the JSON goes last,
 * so an interrupted save leaves the previous checkpoint loadable or is detected by the checksums.
 */
public final class TrainerCheckpoint {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** The JSON part of a checkpoint. */
    public record Meta(@JsonProperty("configuration") String configuration,
                       @JsonProperty("plans_identifier") String plansIdentifier,
                       @JsonProperty("fold") int fold,
                       @JsonProperty("progress") TrainingProgress progress,
                       @JsonProperty("weights_crc32") long weightsCrc,
                       @JsonProperty("optimizer_crc32") long optimizerCrc) {}

    private TrainerCheckpoint() {}

    public static Path weightsFile(Path foldDir, String name) {
        return foldDir.resolve(name + ".model");
    }

    public static boolean exists(Path foldDir, String name) {
        return Files.isRegularFile(foldDir.resolve(name + ".model.json"));
    }

    public static void save(Path foldDir, String name, GenericUNet network, NesterovSgd optimizer, Meta meta)
            throws IOException {
        Files.createDirectories(foldDir);
        Path weights = weightsFile(foldDir, name);
        Path optim = foldDir.resolve(name + ".model.optimizer");
        Path weightsTmp = Files.createTempFile(foldDir, name, ".model.tmp");
        Path optimTmp = Files.createTempFile(foldDir, name, ".optimizer.tmp");
        Path jsonTmp = Files.createTempFile(foldDir, name, ".json.tmp");
        try {
            try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(weightsTmp)))) {
                network.saveParameters(out);
            }
            optimizer.save(optimTmp);
            Meta complete = new Meta(meta.configuration(), meta.plansIdentifier(), meta.fold(), meta.progress(),
                    crc(weightsTmp), crc(optimTmp));
            JSON.writeValue(jsonTmp.toFile(), complete);
            Files.move(weightsTmp, weights, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            Files.move(optimTmp, optim, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            Files.move(jsonTmp, foldDir.resolve(name + ".model.json"), StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(weightsTmp);
            Files.deleteIfExists(optimTmp);
            Files.deleteIfExists(jsonTmp);
        }
    }

    public static Meta readMeta(Path foldDir, String name) throws IOException {
        Path json = foldDir.resolve(name + ".model.json");
        try {
            return JSON.readValue(json.toFile(), Meta.class);
        } catch (IOException e) {
            throw new IOException(json + ": cannot read checkpoint: " + e.getMessage(), e);
        }
    }

    /**
     * True when all three files of checkpoint {@code name} are there and both binary files match the CRCs in its
     * JSON, i.e. they were written by the same save (a copy assembled from two saves fails).
     */
    public static boolean isIntact(Path foldDir, String name) {
        Path weights = weightsFile(foldDir, name);
        Path optim = foldDir.resolve(name + ".model.optimizer");
        if (!exists(foldDir, name) || !Files.isRegularFile(weights) || !Files.isRegularFile(optim)) {
            return false;
        }
        try {
            Meta meta = readMeta(foldDir, name);
            return crc(weights) == meta.weightsCrc() && crc(optim) == meta.optimizerCrc();
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Loads weights (and, when {@code optimizer} is not null, the momentum buffers) after checking both checksums;
     * {@link GenericUNet#loadParameters} restores gradient tracking, which DJL's loading drops.
     */
    public static Meta load(Path foldDir, String name, GenericUNet network, NDManager manager, NesterovSgd optimizer)
            throws IOException {
        Meta meta = readMeta(foldDir, name);
        Path weights = weightsFile(foldDir, name);
        Path optim = foldDir.resolve(name + ".model.optimizer");
        if (crc(weights) != meta.weightsCrc()) {
            throw new IOException(weights + ": checksum does not match " + name + ".model.json (interrupted save?)");
        }
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(weights)))) {
            network.loadParameters(manager, in);
        } catch (MalformedModelException e) {
            throw new IOException(weights + ": weights do not fit this network: " + e.getMessage(), e);
        }
        if (optimizer != null) {
            if (crc(optim) != meta.optimizerCrc()) {
                throw new IOException(optim + ": checksum does not match " + name + ".model.json (interrupted save?)");
            }
            optimizer.load(optim);
        }
        return meta;
    }

    private static long crc(Path file) throws IOException {
        CRC32 crc = new CRC32();
        try (InputStream in = new CheckedInputStream(new BufferedInputStream(Files.newInputStream(file)), crc)) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
        }
        return crc.getValue();
    }
}
