import { render } from 'preact';

function App() {
  return <main>Reclaim options</main>;
}

const root = document.getElementById('app');
if (root) render(<App />, root);
