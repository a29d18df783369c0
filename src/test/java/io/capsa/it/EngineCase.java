package io.capsa.it;

/** One case a user runs through an engine, with the runtime ("capsa" or "runc") the engine is told to use. */
@FunctionalInterface
interface EngineCase {
    void run(String runtime) throws Exception;

    /**
     * Runs the case with Engine.RUNTIME; if that fails, runs it again with runc, so that the failure says
     * whether capsa is at fault or the host (or the test): runc passing the same case clears the host.
     * Every container is removed after each attempt.
     */
    static void check(Engine engine, EngineCase c) {
        AssertionError failure = attempt(engine, c, Engine.RUNTIME);
        if (failure == null) return;
        if (Engine.RUNTIME.equals("runc")) throw failure;
        AssertionError withRunc = attempt(engine, c, "runc");
        String verdict = withRunc == null
                ? "The same case passes with runc: capsa is at fault."
                : "It fails with runc too, so the host or the test is at fault. With runc: " + withRunc.getMessage();
        throw new AssertionError("With " + Engine.RUNTIME + ": " + failure.getMessage() + "\n" + verdict, failure);
    }

    private static AssertionError attempt(Engine engine, EngineCase c, String runtime) {
        try {
            c.run(runtime);
            return null;
        } catch (AssertionError e) {
            return e;
        } catch (Exception e) {
            return new AssertionError(e.toString(), e);
        } finally {
            engine.removeAllContainers();
        }
    }
}
