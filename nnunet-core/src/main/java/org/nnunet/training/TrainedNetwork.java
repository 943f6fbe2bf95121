package org.nnunet.training;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Path;
import org.nnunet.network.GenericUNet;
import org.nnunet.network.UNetArchitecture;
import org.nnunet.planning.Plans;

/**
 * The network of one trained fold for prediction, v1.7.1 {@code load_model_and_checkpoint_files} without the
 * trainer's data setup: Generic_UNet from the plans (with its deep-supervision heads, so the checkpoint's parameter
 * list fits) and the weights of {@code fold_N/<checkpoint>.model}.
 */
public final class TrainedNetwork {
    private TrainedNetwork() {}

    public static GenericUNet load(Plans plans, String configuration, Path foldDir, String checkpoint,
                                   NDManager manager) throws IOException {
        if (!TrainerCheckpoint.exists(foldDir, checkpoint)) {
            throw new IOException(foldDir.resolve(checkpoint + ".model") + ": checkpoint not found");
        }
        GenericUNet network = new GenericUNet(UNetArchitecture.fromPlans(plans, configuration), true);
        network.initialize(manager);
        TrainerCheckpoint.load(foldDir, checkpoint, network, manager, null);
        return network;
    }
}
