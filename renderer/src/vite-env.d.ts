// CSS side-effect imports and import.meta.env, as Vite provides them.
/// <reference types="vite/client" />
