// esbuild bundles imported stylesheets into the CSS file; to TypeScript they are modules of nothing.
declare module "*.css";
