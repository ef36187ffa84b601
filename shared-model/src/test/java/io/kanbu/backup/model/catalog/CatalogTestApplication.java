package io.kanbu.backup.model.catalog;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The smallest Spring context that holds the catalog: JPA, the repositories and Flyway. */
@SpringBootApplication
class CatalogTestApplication {}
