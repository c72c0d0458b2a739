// `process.env.NODE_ENV`, which a host's bundler replaces (as it does for Vue itself): checks and
// long explanations only a developer needs drop out of production builds. See docs/widget.md#size.
declare const process: { env: { NODE_ENV?: string } };
