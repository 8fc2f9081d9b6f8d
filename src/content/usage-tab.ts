// Content script: usage-tab augmentation. (Filled in by the in-page controls work.)
document.documentElement.dataset.reclaimusagetab = 'loaded';
