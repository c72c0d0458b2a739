/** The tests' PostgreSQL server, as `scripts/test-services.sh` starts it (or as the env says). */
export declare const ADMIN_URL: string;
/** The prefix of this run's databases (`adhoc` when a suite runs outside jest's set-up). */
export declare function runDatabasePrefix(): string;
/** jest's globalSetup: names the run before the workers start. */
export declare function setup(): void;
/** jest's globalTeardown: drops this run's databases. */
export declare function teardown(): Promise<void>;
