// Styles are nothing under jest.
export {};
