package io.capsa.it;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Cases a user runs through a real engine that runs capsa, with the engine's defaults. The engine starts
 * once for the class; each case that fails is run again with runc (EngineCase.check), so that the failure
 * says whether capsa is at fault.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class EngineIT<E extends Engine> {
    E engine;

    abstract E engine();

    @BeforeAll
    void startEngine() {
        engine = engine();
        engine.start();
    }

    @AfterAll
    void stopEngine() {
        if (engine != null) engine.stop();
    }

    void check(EngineCase c) {
        EngineCase.check(engine, c);
    }

    static void assertExit(int expected, Cli.Result r) {
        assertEquals(expected, r.exit(), r.toString());
    }

    /** Polls for up to 5 s; the failure message is computed only when it is needed. */
    static void await(BooleanSupplier done, Supplier<String> failure) {
        for (int i = 0; i < 100; i++) {
            if (done.getAsBoolean()) return;
            ContainerTestBase.sleep(50);
        }
        throw new AssertionError(failure.get());
    }
}
