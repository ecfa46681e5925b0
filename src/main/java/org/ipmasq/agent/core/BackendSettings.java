package org.ipmasq.agent.core;

/**
 * Builds, for the backend about to be created, the settings value that backend declared
 * ({@link BackendProvider#settingsType()}). The command line implements it: it knows the flags,
 * each backend knows only its own settings, and the core knows neither.
 */
@FunctionalInterface
public interface BackendSettings {

    /**
     * @throws BackendException when the command line holds no usable settings of that type
     *         (a backend flag with a bad value, or a backend the command line does not know)
     */
    <S> S forBackend(Class<S> type) throws BackendException;
}
