package dev.digestflow.teststack;

import java.util.Locale;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.testcontainers.DockerClientFactory;

/**
 * JUnit 5 extension giving integration tests a {@link TestStack} and per-class {@link TestNames}.
 *
 * <p>One stack per test JVM: it is kept in the root context's store, so every IT class of a module
 * reuses it, and JUnit closes it when the JVM's test run ends. The choice follows the system
 * property {@code digestflow.test-stack}: {@code containers}, {@code local}, or {@code auto} (the
 * default: Testcontainers when a Docker engine answers, the local stack otherwise).
 */
public final class TestStackExtension implements ParameterResolver {

    private static final Namespace NAMESPACE = Namespace.create(TestStackExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == TestStack.class || type == TestNames.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        if (parameter.getParameter().getType() == TestNames.class) {
            Class<?> testClass = context.getRequiredTestClass();
            return context.getStore(NAMESPACE).getOrComputeIfAbsent(testClass.getName() + ".names",
                    k -> new TestNames(testClass), TestNames.class);
        }
        return shared(context);
    }

    /** The JVM-wide stack, started on first use. */
    public static TestStack shared(ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent("stack", k -> new Resource(start()), Resource.class).stack;
    }

    private static TestStack start() {
        String choice = System.getProperty("digestflow.test-stack", "auto").toLowerCase(Locale.ROOT);
        try {
            boolean containers = switch (choice) {
                case "containers" -> true;
                case "local" -> false;
                default -> dockerAvailable();
            };
            return containers ? new ContainerTestStack() : new LocalTestStack();
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the test stack (" + choice + "): " + e.getMessage(), e);
        }
    }

    private static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (Throwable e) {
            return false;
        }
    }

    /** Closes the stack when the root context closes, i.e. at the end of the JVM's test run. */
    private record Resource(TestStack stack) implements ExtensionContext.Store.CloseableResource, AutoCloseable {
        @Override
        public void close() {
            stack.close();
        }
    }
}
