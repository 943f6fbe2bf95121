package org.nnunet.network;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;

/** Loads DJL's PyTorch engine for tests with the thread settings this 2-core machine wants. */
public final class TestEngine {

    private TestEngine() {
    }

    public static NDManager newManager() {
        if (System.getProperty("ai.djl.pytorch.num_threads") == null) {
            System.setProperty("ai.djl.pytorch.num_threads", "2");
        }
        if (System.getProperty("ai.djl.pytorch.num_interop_threads") == null) {
            System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        }
        Engine engine = Engine.getEngine("PyTorch");
        engine.setRandomSeed(1234);
        return engine.newBaseManager();
    }
}
